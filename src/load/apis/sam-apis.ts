// SAM's APIs after expansion: the implicit `ServerlessRestApi` / `ServerlessHttpApi` and explicit
// `AWS::Serverless::Api` / `AWS::Serverless::HttpApi` resources, with the routes of the functions' `Api` / `HttpApi`
// events (which expand-sam.ts records on each event's permission), SAM's stage names, Cors and Auth.
import { samAuthorizerId } from './authorizers';
import { corsOf, frontBase, referencedId, resourcesOfType, stringList, stringMap, stringValue } from './common';
import { HTTP_INTEGRATION_TIMEOUT_MS } from './http-apis';
import { openApiRoutes } from './openapi';
import { LoadedFronts, REST_INTEGRATION_TIMEOUT_MS } from './rest-apis';
import { CorsSpec, HttpFrontSpec, RouteAuthorizationSpec, RouteSpec } from '../../model/apis';
import { resolveValue } from '../intrinsics';
import { LoadedTemplate } from '../resource-context';

export const SAM_EVENT_METADATA = 'lambda-twin:sam-api-event';
export const IMPLICIT_API_METADATA = 'lambda-twin:implicit-api';

/** Whether a RestApi / ApiGatewayV2::Api resource is SAM's implicit API (loaded here, not by the plain loaders). */
export function isImplicitSamApi(resource: any): boolean {
  return resource?.Metadata?.[IMPLICIT_API_METADATA] === true;
}

export function loadSamApis(loaded: LoadedTemplate): LoadedFronts {
  const out: LoadedFronts = { fronts: [], stages: [], routes: [], unsupported: [] };
  const apis = resourcesOfType(loaded, 'AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api')
    .filter(([, r]) => r.Type.startsWith('AWS::Serverless::') || isImplicitSamApi(r));
  const kinds = new Map<string, string>();
  const props = new Map<string, any>();
  for (const [logicalId, resource] of apis) {
    const rest = resource.Type === 'AWS::Serverless::Api' || resource.Type === 'AWS::ApiGateway::RestApi';
    const kind = rest ? 'REST' : 'HTTP';
    const p = resource.Properties ?? {};
    kinds.set(logicalId, kind);
    props.set(logicalId, p);
    const front: HttpFrontSpec = {
      ...frontBase(loaded, kind, logicalId, resource),
      binaryMediaTypes: rest ? stringList(loaded, p.BinaryMediaTypes).map((t) => t.replace('~1', '/')) : [],
      cors: rest ? undefined : httpCors(loaded, p.CorsConfiguration),
    };
    out.fronts.push(front);
    const stage = stringValue(loaded, p.StageName, rest ? 'Prod' : '$default')!;
    const variables = stringMap(loaded, rest ? p.Variables : p.StageVariables);
    out.stages.push({ stackName: loaded.ctx.stackName, apiId: logicalId, name: stage, variables });
    if (p.DefinitionBody !== undefined) {
      out.routes.push(...openApiRoutes(loaded, logicalId, kind, p.DefinitionBody, rest
        ? { payloadFormatVersion: '1.0', timeoutMs: REST_INTEGRATION_TIMEOUT_MS } : { payloadFormatVersion: '2.0', timeoutMs: HTTP_INTEGRATION_TIMEOUT_MS }, out.unsupported));
    }
    if (p.DefinitionUri !== undefined) out.unsupported.push(`${logicalId}: DefinitionUri (an OpenAPI file) is not read; only the routes of the functions' events are served`);
    if (p.Domain !== undefined) out.unsupported.push(`${logicalId}: Domain (a custom domain) is not emulated; use the local URL of the API`);
    if (stringList(loaded, p.EndpointConfiguration?.Type ?? p.EndpointConfiguration).includes('PRIVATE')) {
      out.unsupported.push(`${logicalId}: a PRIVATE REST API (VPC endpoint only); served on loopback like a regional one`);
    }
  }
  const apiIds = new Set(kinds.keys());

  for (const [permissionId, permission] of resourcesOfType(loaded, 'AWS::Lambda::Permission')) {
    const event = permission.Metadata?.[SAM_EVENT_METADATA];
    if (!event) continue;
    const apiId = referencedId(event.Api, apiIds);
    const where = `Event ${event.EventName} of ${event.FunctionLogicalId}`;
    if (!apiId) {
      out.unsupported.push(`${where}: its ${event.Type === 'Api' ? 'RestApiId' : 'ApiId'} names no API of this template; the route is not served`);
      continue;
    }
    const kind = kinds.get(apiId)!;
    const p = event.Properties ?? {};
    const hasRoute = p.Path !== undefined;
    const method = !hasRoute ? 'ANY' : String(resolveValue(p.Method, loaded.ctx) ?? 'ANY').toUpperCase().replace(/^X-AMAZON-APIGATEWAY-ANY-METHOD$/, 'ANY');
    const path = hasRoute ? String(resolveValue(p.Path, loaded.ctx)) : '$default';
    const fn = loaded.functions.find((f) => f.logicalId === event.FunctionLogicalId);
    if (!fn) continue;
    const timeout = p.TimeoutInMillis !== undefined ? Number(resolveValue(p.TimeoutInMillis, loaded.ctx)) : kind === 'REST' ? REST_INTEGRATION_TIMEOUT_MS : HTTP_INTEGRATION_TIMEOUT_MS;
    const route: RouteSpec = {
      stackName: loaded.ctx.stackName,
      apiId,
      kind,
      routeId: permissionId,
      method,
      path,
      integration: {
        type: 'AWS_PROXY',
        functionStackName: fn.stackName,
        functionLogicalId: fn.logicalId,
        qualifier: event.Qualifier && event.Qualifier !== '$LATEST' ? event.Qualifier : undefined,
        payloadFormatVersion: kind === 'REST' ? '1.0' : String(resolveValue(p.PayloadFormatVersion, loaded.ctx) ?? '2.0'),
        timeoutMs: timeout,
      },
      authorization: samAuthorization(loaded, props.get(apiId)?.Auth, p.Auth),
    };
    // An event route replaces the same method and path from the definition body (SAM merges it in).
    const same = out.routes.findIndex((r) => r.apiId === apiId && r.method === method && r.path === path);
    if (same >= 0) out.routes.splice(same, 1, route);
    else out.routes.push(route);
  }

  for (const [apiId, p] of props) {
    if (kinds.get(apiId) === 'REST' && p.Cors !== undefined) out.routes.push(...samRestCorsRoutes(loaded, apiId, p.Cors, out.routes));
  }
  return out;
}

/** SAM `Auth` of an API and an event: the route's authorization (the authorizer id is `samAuthorizerId(name)`, as the authorizer loader names it). */
function samAuthorization(loaded: LoadedTemplate, apiAuth: any, eventAuth: any): RouteAuthorizationSpec {
  const name = stringValue(loaded, eventAuth?.Authorizer) ?? stringValue(loaded, apiAuth?.DefaultAuthorizer) ?? 'NONE';
  const apiKeyRequired = String(resolveValue(eventAuth?.ApiKeyRequired ?? apiAuth?.ApiKeyRequired, loaded.ctx)) === 'true' ? true : undefined;
  const keyField = apiKeyRequired ? { apiKeyRequired } : {};
  if (name === 'NONE' || name === 'AWS_IAM') return { authorizationType: name, ...keyField };
  const definition = apiAuth?.Authorizers?.[name] ?? {};
  const type = definition.JwtConfiguration !== undefined ? 'JWT' : definition.UserPoolArn !== undefined ? 'COGNITO_USER_POOLS' : 'CUSTOM';
  const scopes = eventAuth?.AuthorizationScopes ?? definition.AuthorizationScopes;
  return {
    authorizationType: type,
    authorizerId: samAuthorizerId(name),
    ...(scopes !== undefined ? { scopes: stringList(loaded, scopes) } : {}),
    ...keyField,
  };
}

/** SAM HttpApi `CorsConfiguration`: `true` allows every origin, method and header. */
function httpCors(loaded: LoadedTemplate, cors: any): CorsSpec | undefined {
  if (cors === true || cors === 'true') return { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: [], allowCredentials: false };
  return corsOf(loaded, cors);
}

/** SAM REST `Cors`: an OPTIONS MOCK method on every path, answering the configured headers (SAM quotes values). */
function samRestCorsRoutes(loaded: LoadedTemplate, apiId: string, cors: any, routes: readonly RouteSpec[]): RouteSpec[] {
  const unquote = (v: any): string | undefined => {
    const s = stringValue(loaded, v);
    return s === undefined ? undefined : s.replace(/^'(.*)'$/s, '$1');
  };
  const config = typeof cors === 'string' ? { AllowOrigin: cors } : cors ?? {};
  const paths = [...new Set(routes.filter((r) => r.apiId === apiId).map((r) => r.path))];
  return paths.filter((path) => !routes.some((r) => r.apiId === apiId && r.path === path && r.method === 'OPTIONS')).map((path) => {
    const methods = routes.filter((r) => r.apiId === apiId && r.path === path).map((r) => r.method);
    const allowMethods = unquote(config.AllowMethods) ?? [...new Set([...methods.flatMap((m) => m === 'ANY' ? ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] : [m]), 'OPTIONS'])].sort().join(',');
    const headers: Record<string, string> = { 'Access-Control-Allow-Origin': unquote(config.AllowOrigin) ?? '*', 'Access-Control-Allow-Methods': allowMethods };
    const allowHeaders = unquote(config.AllowHeaders);
    if (allowHeaders) headers['Access-Control-Allow-Headers'] = allowHeaders;
    const maxAge = unquote(config.MaxAge);
    if (maxAge) headers['Access-Control-Max-Age'] = maxAge;
    if (String(config.AllowCredentials) === 'true') headers['Access-Control-Allow-Credentials'] = 'true';
    return {
      stackName: loaded.ctx.stackName,
      apiId,
      kind: 'REST',
      routeId: `${apiId} OPTIONS ${path} (SAM Cors)`,
      method: 'OPTIONS',
      path,
      integration: { type: 'MOCK', payloadFormatVersion: '1.0', mockStatusCode: 200, mockHeaders: headers },
      authorization: { authorizationType: 'NONE' },
    };
  });
}
