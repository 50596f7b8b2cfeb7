// HTTP APIs (`AWS::ApiGatewayV2::Api` with Routes, Integrations and Stages): Lambda proxy integrations with payload
// 1.0 or 2.0, `$default` routes, quick-create `Target`, CorsConfiguration. WebSocket APIs are listed, not served.
import { authorizationOf, corsOf, frontBase, integrationTarget, referencedId, resourcesOfType, stringMap, stringValue, unsupportedIntegration } from './common';
import { openApiRoutes } from './openapi';
import { LoadedFronts } from './rest-apis';
import { IntegrationSpec } from '../../model/apis';
import { LoadedTemplate } from '../resource-context';

export const HTTP_INTEGRATION_TIMEOUT_MS = 30_000;

export function loadHttpApis(loaded: LoadedTemplate): LoadedFronts {
  const out: LoadedFronts = { fronts: [], stages: [], routes: [], unsupported: [] };
  const apis = resourcesOfType(loaded, 'AWS::ApiGatewayV2::Api');
  const apiIds = new Set<string>();
  const authorizerIds = new Set(resourcesOfType(loaded, 'AWS::ApiGatewayV2::Authorizer').map(([id]) => id));
  for (const [logicalId, resource] of apis) {
    const p = resource.Properties ?? {};
    const protocol = stringValue(loaded, p.ProtocolType, 'HTTP')!.toUpperCase();
    if (protocol === 'WEBSOCKET') {
      out.unsupported.push(`${logicalId}: a WebSocket API, which lambda-twin does not emulate`);
      continue;
    }
    apiIds.add(logicalId);
    out.fronts.push({ ...frontBase(loaded, 'HTTP', logicalId, resource), binaryMediaTypes: [], cors: corsOf(loaded, p.CorsConfiguration) });
    if (p.Body !== undefined) out.routes.push(...openApiRoutes(loaded, logicalId, 'HTTP', p.Body, { payloadFormatVersion: '2.0', timeoutMs: HTTP_INTEGRATION_TIMEOUT_MS }, out.unsupported));
    if (p.Target !== undefined) {
      // Quick create: a `$default` route to the target with payload 2.0 and a `$default` auto-deploying stage.
      const target = integrationTarget(loaded, p.Target);
      out.routes.push({
        stackName: loaded.ctx.stackName,
        apiId: logicalId,
        kind: 'HTTP',
        routeId: `${logicalId}.Target`,
        method: 'ANY',
        path: p.RouteKey ? String(stringValue(loaded, p.RouteKey)) : '$default',
        integration: typeof target === 'string' ? unsupportedIntegration('AWS_PROXY', `${logicalId}.Target: ${target}`) : { type: 'AWS_PROXY', ...target, payloadFormatVersion: '2.0', timeoutMs: HTTP_INTEGRATION_TIMEOUT_MS },
        authorization: { authorizationType: 'NONE' },
      });
      out.stages.push({ stackName: loaded.ctx.stackName, apiId: logicalId, name: '$default', variables: {} });
    }
  }

  const integrations = new Map<string, IntegrationSpec>();
  for (const [integrationId, resource] of resourcesOfType(loaded, 'AWS::ApiGatewayV2::Integration')) {
    const p = resource.Properties ?? {};
    const type = stringValue(loaded, p.IntegrationType, 'AWS_PROXY')!.toUpperCase();
    const timeoutMs = p.TimeoutInMillis !== undefined ? Number(stringValue(loaded, p.TimeoutInMillis)) : HTTP_INTEGRATION_TIMEOUT_MS;
    const payloadFormatVersion = stringValue(loaded, p.PayloadFormatVersion, '1.0')!;
    if (type !== 'AWS_PROXY') {
      const why = `${integrationId}: a ${type} integration, which lambda-twin does not emulate (only AWS_PROXY Lambda integrations)`;
      out.unsupported.push(why);
      integrations.set(integrationId, unsupportedIntegration(type, why));
      continue;
    }
    const target = integrationTarget(loaded, p.IntegrationUri);
    if (typeof target === 'string') {
      const why = `${integrationId}: ${target}`;
      out.unsupported.push(why);
      integrations.set(integrationId, unsupportedIntegration(type, why));
      continue;
    }
    integrations.set(integrationId, { type, ...target, payloadFormatVersion, timeoutMs });
  }
  const integrationIds = new Set(integrations.keys());

  for (const [routeId, resource] of resourcesOfType(loaded, 'AWS::ApiGatewayV2::Route')) {
    const p = resource.Properties ?? {};
    const apiId = referencedId(p.ApiId, apiIds);
    if (!apiId) continue;
    const routeKey = stringValue(loaded, p.RouteKey, '$default')!;
    const [method, path] = routeKey === '$default' ? ['ANY', '$default'] : routeKey.split(/\s+/, 2);
    const integrationId = referencedId(p.Target, integrationIds);
    const integration = integrationId ? integrations.get(integrationId)! : unsupportedIntegration('NONE', `${routeId} (${routeKey}) has no integration target in this template`);
    out.routes.push({
      stackName: loaded.ctx.stackName,
      apiId,
      kind: 'HTTP',
      routeId,
      method: method.toUpperCase(),
      path: path ?? '/',
      integration,
      authorization: authorizationOf(loaded, p, authorizerIds),
    });
  }

  for (const [stageId, stage] of resourcesOfType(loaded, 'AWS::ApiGatewayV2::Stage')) {
    const apiId = referencedId(stage.Properties?.ApiId, apiIds);
    if (!apiId) continue;
    const name = stringValue(loaded, stage.Properties?.StageName, stageId)!;
    if (out.stages.some((s) => s.apiId === apiId && s.name === name)) continue;
    out.stages.push({ stackName: loaded.ctx.stackName, apiId, name, variables: stringMap(loaded, stage.Properties?.StageVariables) });
  }
  for (const [id, r] of resourcesOfType(loaded, 'AWS::ApiGatewayV2::DomainName', 'AWS::ApiGatewayV2::ApiMapping')) {
    out.unsupported.push(`${id} (${r.Type}): custom domains are not emulated; use the local URL of the API`);
  }
  return out;
}
