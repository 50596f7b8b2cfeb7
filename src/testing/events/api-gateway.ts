// HTTP request events: API Gateway REST proxy (payload 1.0), HTTP API proxy (payload 2.0) and Lambda function URLs.
import { EventFixtureOptions } from './fixture-options';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, SeededValues, clfTime, eventTime } from './volatile-values';

/**
 * Options for an HTTP request event.
 */
export interface HttpRequestEventOptions extends EventFixtureOptions {
  /**
   * The HTTP method.
   * @default 'GET'
   */
  readonly method?: string;

  /**
   * The request path, without the query string.
   * @default '/'
   */
  readonly path?: string;

  /**
   * The request body, as the client sent it.
   * @default - no body
   */
  readonly body?: string;

  /**
   * Whether `body` is base64-encoded binary.
   * @default false
   */
  readonly isBase64Encoded?: boolean;

  /**
   * Request headers, added to (and overriding) the headers a browser-like client sends.
   * @default - Host, User-Agent, Accept and the X-Forwarded-* headers
   */
  readonly headers?: { [name: string]: string };

  /**
   * Query string parameters.
   * @default - no query string
   */
  readonly queryStringParameters?: { [name: string]: string };

  /**
   * Values of path variables such as `{id}`. Ignored by function URLs, which have no routes.
   * @default - no path parameters
   */
  readonly pathParameters?: { [name: string]: string };

  /**
   * Stage variables. Ignored by function URLs.
   * @default - no stage variables
   */
  readonly stageVariables?: { [name: string]: string };

  /**
   * The client's IP address.
   * @default '198.51.100.1'
   */
  readonly sourceIp?: string;

  /**
   * The request id. Fix it (with `time`) for a deterministic event; the API and trace ids derive from it.
   * @default - a fresh id
   */
  readonly requestId?: string;
}

/**
 * Options for an API Gateway REST API proxy (`aws-proxy`) request.
 */
export interface ApiGatewayV1EventOptions extends HttpRequestEventOptions {
  /**
   * The resource path template, such as `/users/{id}`.
   * @default - `path` with each path parameter's value replaced by `{name}`
   */
  readonly resource?: string;

  /**
   * The stage name.
   * @default 'prod'
   */
  readonly stage?: string;

  /**
   * The REST API id.
   * @default - derived from the request id
   */
  readonly apiId?: string;
}

/**
 * Options for an API Gateway HTTP API proxy request (payload format 2.0).
 */
export interface ApiGatewayV2EventOptions extends HttpRequestEventOptions {
  /**
   * The route key, such as `GET /users/{id}`.
   * @default '$default'
   */
  readonly routeKey?: string;

  /**
   * The stage name.
   * @default '$default'
   */
  readonly stage?: string;

  /**
   * Cookies the client sent, each `name=value`.
   * @default - no cookies
   */
  readonly cookies?: string[];

  /**
   * The HTTP API id.
   * @default - derived from the request id
   */
  readonly apiId?: string;
}

/**
 * Options for a Lambda function URL request.
 */
export interface FunctionUrlEventOptions extends HttpRequestEventOptions {
  /**
   * Cookies the client sent, each `name=value`.
   * @default - no cookies
   */
  readonly cookies?: string[];

  /**
   * The URL id, the first label of `<url-id>.lambda-url.<region>.on.aws`.
   * @default - derived from the request id
   */
  readonly urlId?: string;
}

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) lambda-twin';

/** A REST API Lambda proxy request (payload format 1.0). */
export function apiGatewayV1Event(options: ApiGatewayV1EventOptions = {}): any {
  const ids = SeededValues.fromId(options.requestId);
  const time = eventTime(options.time);
  const method = (options.method ?? 'GET').toUpperCase();
  const path = options.path ?? '/';
  const stage = options.stage ?? 'prod';
  const apiId = options.apiId ?? ids.alphanumeric('api-id', 10).toLowerCase();
  const domainName = `${apiId}.execute-api.${options.region ?? DEFAULT_REGION}.amazonaws.com`;
  const sourceIp = options.sourceIp ?? '198.51.100.1';
  const headers: Record<string, string> = {
    'Accept': '*/*',
    'Host': domainName,
    'User-Agent': USER_AGENT,
    'X-Amzn-Trace-Id': traceId(ids, time),
    'X-Forwarded-For': sourceIp,
    'X-Forwarded-Port': '443',
    'X-Forwarded-Proto': 'https',
    ...options.headers,
  };
  const query = options.queryStringParameters;

  return {
    resource: options.resource ?? resourceTemplate(path, options.pathParameters),
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: toMultiValue(headers),
    queryStringParameters: nonEmpty(query) ? { ...query } : null,
    multiValueQueryStringParameters: nonEmpty(query) ? toMultiValue(query) : null,
    pathParameters: nonEmpty(options.pathParameters) ? { ...options.pathParameters } : null,
    stageVariables: nonEmpty(options.stageVariables) ? { ...options.stageVariables } : null,
    requestContext: {
      resourceId: ids.alphanumeric('resource-id', 6).toLowerCase(),
      resourcePath: options.resource ?? resourceTemplate(path, options.pathParameters),
      httpMethod: method,
      extendedRequestId: `${ids.alphanumeric('extended-request-id', 14)}=`,
      requestTime: clfTime(time),
      path: `/${stage}${path}`,
      accountId: options.account ?? DEFAULT_ACCOUNT,
      protocol: 'HTTP/1.1',
      stage,
      domainPrefix: apiId,
      requestTimeEpoch: time.getTime(),
      requestId: options.requestId ?? ids.uuid('request-id'),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: headers['User-Agent'],
        user: null,
      },
      domainName,
      apiId,
    },
    body: options.body ?? null,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** An HTTP API Lambda proxy request (payload format 2.0). */
export function apiGatewayV2Event(options: ApiGatewayV2EventOptions = {}): any {
  const ids = SeededValues.fromId(options.requestId);
  const apiId = options.apiId ?? ids.alphanumeric('api-id', 10).toLowerCase();
  const routeKey = options.routeKey ?? '$default';
  return payloadV2(options, ids, {
    routeKey,
    stage: options.stage ?? '$default',
    apiId,
    domainName: `${apiId}.execute-api.${options.region ?? DEFAULT_REGION}.amazonaws.com`,
    requestId: options.requestId ?? `${ids.alphanumeric('request-id', 15)}=`,
    cookies: options.cookies,
    pathParameters: options.pathParameters,
    stageVariables: options.stageVariables,
  });
}

/** A Lambda function URL request (payload format 2.0, auth type NONE). */
export function functionUrlEvent(options: FunctionUrlEventOptions = {}): any {
  const ids = SeededValues.fromId(options.requestId);
  const urlId = options.urlId ?? ids.alphanumeric('url-id', 32).toLowerCase();
  return payloadV2(options, ids, {
    routeKey: '$default',
    stage: '$default',
    apiId: urlId,
    domainName: `${urlId}.lambda-url.${options.region ?? DEFAULT_REGION}.on.aws`,
    requestId: options.requestId ?? ids.uuid('request-id'),
    cookies: options.cookies,
    extraHeaders: { 'x-amzn-tls-cipher-suite': 'TLS_AES_128_GCM_SHA256', 'x-amzn-tls-version': 'TLSv1.3' },
  });
}

interface PayloadV2Parts {
  readonly routeKey: string;
  readonly stage: string;
  readonly apiId: string;
  readonly domainName: string;
  readonly requestId: string;
  readonly cookies?: string[];
  readonly pathParameters?: { [name: string]: string };
  readonly stageVariables?: { [name: string]: string };
  readonly extraHeaders?: { [name: string]: string };
}

function payloadV2(options: HttpRequestEventOptions, ids: SeededValues, parts: PayloadV2Parts): any {
  const time = eventTime(options.time);
  const method = (options.method ?? 'GET').toUpperCase();
  const path = options.path ?? '/';
  const sourceIp = options.sourceIp ?? '198.51.100.1';
  // Payload 2.0 lowercases header names.
  const headers: Record<string, string> = {
    'accept': '*/*',
    'host': parts.domainName,
    'user-agent': USER_AGENT,
    'x-amzn-trace-id': traceId(ids, time),
    'x-forwarded-for': sourceIp,
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...parts.extraHeaders,
  };
  if (options.body !== undefined) {
    headers['content-length'] = String(Buffer.byteLength(options.body, options.isBase64Encoded ? 'base64' : 'utf8'));
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  if (parts.cookies?.length) {
    headers.cookie = parts.cookies.join('; ');
  }
  const query = options.queryStringParameters;

  // Payload 2.0 leaves out empty optional fields rather than sending null.
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: parts.routeKey,
    rawPath: path,
    rawQueryString: nonEmpty(query) ? new URLSearchParams(query).toString() : '',
  };
  if (parts.cookies?.length) event.cookies = [...parts.cookies];
  event.headers = headers;
  if (nonEmpty(query)) event.queryStringParameters = { ...query };
  event.requestContext = {
    accountId: options.account ?? DEFAULT_ACCOUNT,
    apiId: parts.apiId,
    domainName: parts.domainName,
    domainPrefix: parts.domainName.split('.')[0],
    http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] },
    requestId: parts.requestId,
    routeKey: parts.routeKey,
    stage: parts.stage,
    time: clfTime(time),
    timeEpoch: time.getTime(),
  };
  if (options.body !== undefined) event.body = options.body;
  if (nonEmpty(parts.pathParameters)) event.pathParameters = { ...parts.pathParameters };
  event.isBase64Encoded = options.isBase64Encoded ?? false;
  if (nonEmpty(parts.stageVariables)) event.stageVariables = { ...parts.stageVariables };
  return event;
}

/** `/users/42` with `{ id: '42' }` becomes `/users/{id}`. */
function resourceTemplate(path: string, pathParameters: { [name: string]: string } | undefined): string {
  if (!nonEmpty(pathParameters)) {
    return path;
  }
  const byValue = new Map(Object.entries(pathParameters).map(([name, value]) => [value, name]));
  return path.split('/').map((segment) => {
    const name = byValue.get(decodeURIComponent(segment));
    return name === undefined ? segment : `{${name}}`;
  }).join('/');
}

function traceId(ids: SeededValues, time: Date): string {
  return `Root=1-${Math.floor(time.getTime() / 1000).toString(16)}-${ids.hex('trace-id', 24)}`;
}

function toMultiValue(values: { [name: string]: string }): Record<string, string[]> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, [value]]));
}

function nonEmpty(values: { [name: string]: string } | undefined): values is { [name: string]: string } {
  return values !== undefined && Object.keys(values).length > 0;
}
