// The events Lambda authorizers receive: REST TOKEN and REQUEST, and HTTP API payload 1.0 and 2.0
// (API Gateway developer guide: api-gateway-lambda-authorizer-input, http-api-lambda-authorizer). A REQUEST event
// carries most of what the integration would receive; it is taken from the integration event when the front built
// one of the same shape, and built from the request otherwise.
import type { AuthorizeInput } from './authorize';

export function tokenEvent(input: AuthorizeInput, token: string): any {
  return { type: 'TOKEN', authorizationToken: token, methodArn: input.methodArn };
}

/** REST REQUEST, or HTTP API payload 1.0 (the same with `version`, `identitySource` and `authorizationToken`). */
export function requestEventV1(input: AuthorizeInput, identity: readonly string[], httpApi: boolean): any {
  const source = isV1(input.integrationEvent) ? input.integrationEvent : buildV1(input);
  const event: Record<string, unknown> = {
    ...(httpApi ? { version: '1.0' } : {}),
    type: 'REQUEST',
    methodArn: input.methodArn,
    ...(httpApi ? { identitySource: identity.join(','), authorizationToken: identity[0] ?? null } : {}),
    resource: source.resource,
    path: source.path,
    httpMethod: source.httpMethod,
    headers: source.headers,
    multiValueHeaders: source.multiValueHeaders,
    queryStringParameters: source.queryStringParameters,
    multiValueQueryStringParameters: source.multiValueQueryStringParameters,
    pathParameters: source.pathParameters,
    stageVariables: source.stageVariables,
    requestContext: withoutAuthorizer(source.requestContext),
  };
  return event;
}

/** HTTP API payload 2.0. */
export function requestEventV2(input: AuthorizeInput, identity: readonly string[]): any {
  const source = isV2(input.integrationEvent) ? input.integrationEvent : buildV2(input);
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: input.methodArn,
    identitySource: identity,
    routeKey: source.routeKey,
    rawPath: source.rawPath,
    rawQueryString: source.rawQueryString,
    ...(source.cookies ? { cookies: source.cookies } : {}),
    headers: source.headers,
    ...(source.queryStringParameters ? { queryStringParameters: source.queryStringParameters } : {}),
    requestContext: withoutAuthorizer(source.requestContext),
    ...(source.pathParameters ? { pathParameters: source.pathParameters } : {}),
    ...(source.stageVariables ? { stageVariables: source.stageVariables } : {}),
  };
}

function isV1(event: any): boolean {
  return !!event && typeof event === 'object' && typeof event.httpMethod === 'string' && event.version !== '2.0';
}

function isV2(event: any): boolean {
  return !!event && typeof event === 'object' && event.version === '2.0';
}

function withoutAuthorizer(context: any): any {
  if (!context || typeof context !== 'object') return context;
  const { authorizer: _authorizer, ...rest } = context;
  return rest;
}

function headerPairs(input: AuthorizeInput): Array<[string, readonly string[]]> {
  return Object.entries(input.headers).map(([k, v]) => [k, typeof v === 'string' ? [v] : v]);
}

function emptyToNull<T extends object>(map: T): T | null {
  return Object.keys(map).length === 0 ? null : map;
}

function buildV1(input: AuthorizeInput): any {
  const pairs = headerPairs(input);
  const query = new URLSearchParams(input.rawQueryString);
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of query) (multiQuery[k] ??= []).push(v);
  return {
    resource: input.resourcePath,
    path: input.path,
    httpMethod: input.method,
    headers: emptyToNull(Object.fromEntries(pairs.map(([k, v]) => [k, v[v.length - 1]]))),
    multiValueHeaders: emptyToNull(Object.fromEntries(pairs.map(([k, v]) => [k, [...v]]))),
    queryStringParameters: emptyToNull(Object.fromEntries(Object.entries(multiQuery).map(([k, v]) => [k, v[v.length - 1]]))),
    multiValueQueryStringParameters: emptyToNull(multiQuery),
    pathParameters: input.pathParameters && Object.keys(input.pathParameters).length ? input.pathParameters : null,
    stageVariables: input.stageVariables && Object.keys(input.stageVariables).length ? input.stageVariables : null,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiPhysicalId,
      httpMethod: input.method,
      identity: { sourceIp: input.sourceIp, userAgent: headerOf(input, 'user-agent') ?? null },
      path: `/${input.stage}${input.path}`,
      requestId: input.requestId,
      resourcePath: input.resourcePath,
      stage: input.stage,
    },
  };
}

function buildV2(input: AuthorizeInput): any {
  const query = new URLSearchParams(input.rawQueryString);
  const params: Record<string, string> = {};
  for (const [k, v] of query) params[k] = params[k] === undefined ? v : `${params[k]},${v}`;
  const cookie = headerOf(input, 'cookie');
  return {
    routeKey: input.routeKey ?? input.resourcePath,
    rawPath: input.path,
    rawQueryString: input.rawQueryString,
    cookies: cookie ? cookie.split(/;\s*/).filter((c) => c) : undefined,
    headers: Object.fromEntries(headerPairs(input).map(([k, v]) => [k, v.join(',')])),
    queryStringParameters: Object.keys(params).length ? params : undefined,
    pathParameters: input.pathParameters && Object.keys(input.pathParameters).length ? input.pathParameters : undefined,
    stageVariables: input.stageVariables && Object.keys(input.stageVariables).length ? input.stageVariables : undefined,
    requestContext: {
      accountId: input.accountId,
      apiId: input.apiPhysicalId,
      http: { method: input.method, path: input.path, protocol: 'HTTP/1.1', sourceIp: input.sourceIp, userAgent: headerOf(input, 'user-agent') ?? '' },
      requestId: input.requestId,
      routeKey: input.routeKey ?? input.resourcePath,
      stage: input.stage,
    },
  };
}

function headerOf(input: AuthorizeInput, name: string): string | undefined {
  const v = input.headers[name];
  return v === undefined ? undefined : typeof v === 'string' ? v : v.join(',');
}
