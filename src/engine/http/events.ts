// The events API Gateway and Function URLs give a Lambda proxy integration: REST (payload 1.0, also HTTP APIs'
// 1.0 with `version`), HTTP API payload 2.0 and Function URL events (2.0 with the URL's domain). Pure functions of
// the request as the front received it.
import { createHash } from 'crypto';
import { HttpFrontSpec, RouteSpec } from '../../model/apis';

/** One request as the front received it (after its stage and any local prefix were taken off the path). */
export interface FrontRequest {
  readonly method: string;
  /** The path inside the API (no stage, no local prefix), still percent-encoded. */
  readonly path: string;
  /** The query string without `?`. */
  readonly rawQueryString: string;
  /** Header names and values as the client sent them, in order (Node's `rawHeaders` pairs). */
  readonly rawHeaders: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
}

/** Where the request goes: the front, the stage and the route it matched. */
export interface RequestTarget {
  readonly front: HttpFrontSpec;
  readonly stage: string;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly route: RouteSpec;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly now: Date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, as API Gateway writes request times. */
export function requestTime(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

/** The value of a header (case-insensitive), the last one when repeated. */
export function headerValue(request: FrontRequest, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (const [k, v] of request.rawHeaders) if (k.toLowerCase() === lower) found = v;
  return found;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Query parameters in order, decoded (`a=1&a=2&b` → [[a,1],[a,2],[b,""]]). */
export function queryPairs(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return raw.split('&').filter((p) => p !== '').map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))];
  });
}

/** Whether a content type matches one of `types` (`image/png`, `image/*`, `*\/*`). */
export function mediaTypeMatches(contentType: string | undefined, types: readonly string[]): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return types.some((t) => {
    const pattern = t.trim().toLowerCase();
    if (pattern === '*/*') return true;
    if (pattern.endsWith('/*')) return type.startsWith(pattern.slice(0, -1));
    return pattern === type;
  });
}

/** HTTP APIs and Function URLs send text bodies as they are and everything else base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type.startsWith('text/') || /^application\/([a-z0-9.+-]*\+)?(json|xml|javascript)$/.test(type) || type === 'application/graphql';
}

function resourceIdOf(route: RouteSpec): string {
  return createHash('sha1').update(route.stackName + route.routeId).digest('hex').slice(0, 6);
}

const emptyToNull = <T extends object>(o: T): T | null => (Object.keys(o).length === 0 ? null : o);

/** The REST API (payload 1.0) event; `version: "1.0"` is added for HTTP APIs with payload format 1.0. */
export function restEvent(request: FrontRequest, target: RequestTarget): any {
  const { front, route } = target;
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of request.rawHeaders) {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of queryPairs(request.rawQueryString)) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const binary = front.kind === 'REST' ? mediaTypeMatches(headerValue(request, 'content-type'), front.binaryMediaTypes) : !isTextContentType(headerValue(request, 'content-type'));
  const hasBody = request.body.length > 0;
  const domainName = `${front.physicalId}.execute-api.${front.region}.amazonaws.com`;
  const resourcePath = route.path === '$default' ? '$default' : route.path;
  const path = decodePath(request.path);
  const event: any = {
    ...(front.kind === 'HTTP' ? { version: '1.0' } : {}),
    resource: resourcePath,
    path,
    httpMethod: request.method,
    headers: emptyToNull(headers),
    multiValueHeaders: emptyToNull(multiValueHeaders),
    queryStringParameters: emptyToNull(query),
    multiValueQueryStringParameters: emptyToNull(multiQuery),
    pathParameters: emptyToNull({ ...target.pathParameters }),
    stageVariables: emptyToNull({ ...target.stageVariables }),
    requestContext: {
      accountId: front.accountId,
      apiId: front.physicalId,
      domainName,
      domainPrefix: front.physicalId,
      extendedRequestId: target.requestId.replace(/-/g, '').slice(0, 16) + '=',
      httpMethod: request.method,
      identity: {
        accessKey: null,
        accountId: null,
        caller: null,
        cognitoAmr: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: null,
        userAgent: headerValue(request, 'user-agent') ?? null,
        userArn: null,
        clientCert: null,
        apiKey: null,
        apiKeyId: null,
      },
      path: target.stage === '$default' ? path : `/${target.stage}${path}`,
      protocol: request.protocol,
      requestId: target.requestId,
      requestTime: requestTime(target.now),
      requestTimeEpoch: target.now.getTime(),
      resourceId: resourceIdOf(route),
      resourcePath,
      stage: target.stage,
      authorizer: null,
    },
    body: hasBody ? (binary ? request.body.toString('base64') : request.body.toString('utf8')) : null,
    isBase64Encoded: hasBody && binary,
  };
  return event;
}

function decodePath(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** The HTTP API payload 2.0 event, and the Function URL event (`routeKey` `$default`, the URL's domain). */
export function v2Event(request: FrontRequest, target: RequestTarget): any {
  const { front, route } = target;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of request.rawHeaders) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
      continue;
    }
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of queryPairs(request.rawQueryString)) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const url = front.kind === 'URL';
  const domainName = url ? `${front.physicalId}.lambda-url.${front.region}.on.aws` : `${front.physicalId}.execute-api.${front.region}.amazonaws.com`;
  const routeKey = url || route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
  const hasBody = request.body.length > 0;
  const binary = hasBody && !isTextContentType(headerValue(request, 'content-type'));
  const rawPath = target.stage === '$default' || url ? request.path : `/${target.stage}${request.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: url ? 'anonymous' : front.accountId,
      apiId: front.physicalId,
      ...(url ? { authentication: null } : {}),
      domainName,
      domainPrefix: front.physicalId,
      http: {
        method: request.method,
        path: decodePath(rawPath),
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: target.requestId,
      routeKey,
      stage: target.stage,
      time: requestTime(target.now),
      timeEpoch: target.now.getTime(),
    },
    ...(Object.keys(target.pathParameters).length ? { pathParameters: { ...target.pathParameters } } : {}),
    ...(Object.keys(target.stageVariables).length ? { stageVariables: { ...target.stageVariables } } : {}),
    ...(hasBody ? { body: binary ? request.body.toString('base64') : request.body.toString('utf8') } : {}),
    isBase64Encoded: binary,
  };
}
