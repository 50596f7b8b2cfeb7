// REST APIs (`AWS::ApiGateway::RestApi` with its Resource tree, Methods, Stages and Deployments): Lambda proxy and
// MOCK integrations become routes; the rest is listed as not emulated.
import { authorizationOf, frontBase, integrationTarget, referencedId, resourcesOfType, stringList, stringMap, stringValue, unsupportedIntegration } from './common';
import { mockHeaders, openApiRoutes } from './openapi';
import { HttpFrontSpec, IntegrationSpec, RouteSpec, StageSpec } from '../../model/apis';
import { LoadedTemplate } from '../resource-context';

export const REST_INTEGRATION_TIMEOUT_MS = 29_000;

export interface LoadedFronts {
  readonly fronts: HttpFrontSpec[];
  readonly stages: StageSpec[];
  readonly routes: RouteSpec[];
  readonly unsupported: string[];
}

export function loadRestApis(loaded: LoadedTemplate): LoadedFronts {
  const out: LoadedFronts = { fronts: [], stages: [], routes: [], unsupported: [] };
  const apis = resourcesOfType(loaded, 'AWS::ApiGateway::RestApi');
  const apiIds = new Set(apis.map(([id]) => id));
  const authorizerIds = new Set(resourcesOfType(loaded, 'AWS::ApiGateway::Authorizer').map(([id]) => id));
  const resources = resourcesOfType(loaded, 'AWS::ApiGateway::Resource');
  const resourceIds = new Set(resources.map(([id]) => id));
  for (const [logicalId, resource] of apis) {
    const p = resource.Properties ?? {};
    const types = stringList(loaded, p.EndpointConfiguration?.Types);
    const isPrivate = types.includes('PRIVATE');
    if (isPrivate) out.unsupported.push(`${logicalId}: a PRIVATE REST API (VPC endpoint only); served on loopback like a regional one`);
    out.fronts.push({ ...frontBase(loaded, 'REST', logicalId, resource), binaryMediaTypes: stringList(loaded, p.BinaryMediaTypes).map((t) => t.replace('~1', '/')) });
    if (p.Body !== undefined) out.routes.push(...openApiRoutes(loaded, logicalId, 'REST', p.Body, { payloadFormatVersion: '1.0', timeoutMs: REST_INTEGRATION_TIMEOUT_MS }, out.unsupported));
    if (p.BodyS3Location !== undefined) out.unsupported.push(`${logicalId}: BodyS3Location (an OpenAPI definition in S3) is not read; only the Resource/Method resources of the template are served`);
  }

  // The path of every Resource: its parent's path + its PathPart (the root resource is `Fn::GetAtt [Api, RootResourceId]`).
  const paths = new Map<string, string>();
  const byId = new Map(resources);
  const pathOf = (id: string, seen = new Set<string>()): string | undefined => {
    if (paths.has(id)) return paths.get(id);
    const r = byId.get(id);
    if (!r || seen.has(id)) return undefined;
    seen.add(id);
    const part = stringValue(loaded, r.Properties?.PathPart, '')!;
    const parent = r.Properties?.ParentId;
    const parentId = referencedId(parent, resourceIds);
    const parentPath = parentId ? pathOf(parentId, seen) : isRootReference(parent) ? '' : undefined;
    if (parentPath === undefined) return undefined;
    const path = `${parentPath}/${part}`;
    paths.set(id, path);
    return path;
  };

  for (const [methodId, method] of resourcesOfType(loaded, 'AWS::ApiGateway::Method')) {
    const p = method.Properties ?? {};
    const apiId = referencedId(p.RestApiId, apiIds);
    if (!apiId) {
      out.unsupported.push(`${methodId}: a Method of a REST API that is not in this template`);
      continue;
    }
    const resourceId = referencedId(p.ResourceId, resourceIds);
    const path = resourceId ? pathOf(resourceId) : isRootReference(p.ResourceId) ? '/' : undefined;
    if (path === undefined) {
      out.unsupported.push(`${methodId}: its ResourceId could not be followed to a path; the method is not served`);
      continue;
    }
    const httpMethod = stringValue(loaded, p.HttpMethod, 'ANY')!.toUpperCase();
    out.routes.push({
      stackName: loaded.ctx.stackName,
      apiId,
      kind: 'REST',
      routeId: methodId,
      method: httpMethod,
      path,
      integration: restIntegration(loaded, methodId, p, out.unsupported),
      authorization: authorizationOf(loaded, p, authorizerIds),
    });
  }

  // Stages: `AWS::ApiGateway::Stage`, or the StageName a Deployment creates.
  for (const [stageId, stage] of resourcesOfType(loaded, 'AWS::ApiGateway::Stage')) {
    const apiId = referencedId(stage.Properties?.RestApiId, apiIds);
    if (!apiId) continue;
    const name = stringValue(loaded, stage.Properties?.StageName, stageId)!;
    out.stages.push({ stackName: loaded.ctx.stackName, apiId, name, variables: stringMap(loaded, stage.Properties?.Variables) });
  }
  for (const [, deployment] of resourcesOfType(loaded, 'AWS::ApiGateway::Deployment')) {
    const apiId = referencedId(deployment.Properties?.RestApiId, apiIds);
    const name = stringValue(loaded, deployment.Properties?.StageName);
    if (!apiId || !name || out.stages.some((s) => s.apiId === apiId && s.name === name)) continue;
    const variables = stringMap(loaded, deployment.Properties?.StageDescription?.Variables);
    out.stages.push({ stackName: loaded.ctx.stackName, apiId, name, variables });
  }
  for (const [id, r] of resourcesOfType(loaded, 'AWS::ApiGateway::DomainName', 'AWS::ApiGateway::BasePathMapping', 'AWS::ApiGateway::DomainNameV2')) {
    out.unsupported.push(`${id} (${r.Type}): custom domains are not emulated; use the local URL of the API`);
  }
  return out;
}

function isRootReference(value: any): boolean {
  const getAtt = value?.['Fn::GetAtt'];
  return (Array.isArray(getAtt) && getAtt[1] === 'RootResourceId') || (typeof getAtt === 'string' && getAtt.endsWith('.RootResourceId'));
}

function restIntegration(loaded: LoadedTemplate, methodId: string, p: any, notes: string[]): IntegrationSpec {
  const integration = p.Integration ?? {};
  const type = stringValue(loaded, integration.Type, 'MOCK')!.toUpperCase();
  const timeoutMs = integration.TimeoutInMillis !== undefined
    ? Number(stringValue(loaded, integration.TimeoutInMillis)) : REST_INTEGRATION_TIMEOUT_MS;
  if (type === 'AWS_PROXY') {
    const target = integrationTarget(loaded, integration.Uri);
    if (typeof target === 'string') {
      const why = `${methodId}: ${target}`;
      notes.push(why);
      return unsupportedIntegration(type, why);
    }
    return { type, ...target, payloadFormatVersion: '1.0', timeoutMs };
  }
  if (type === 'MOCK') {
    const first = (integration.IntegrationResponses ?? [])[0];
    const methodResponse = (p.MethodResponses ?? [])[0];
    const status = Number(stringValue(loaded, first?.StatusCode) ?? stringValue(loaded, methodResponse?.StatusCode) ?? 200);
    return { type, payloadFormatVersion: '1.0', mockStatusCode: status, mockHeaders: mockHeaders(first?.ResponseParameters) };
  }
  const why = `${methodId}: a ${type} integration (with VTL mapping templates), which lambda-twin does not emulate (only AWS_PROXY Lambda integrations and MOCK)`;
  notes.push(why);
  return unsupportedIntegration(type, why);
}
