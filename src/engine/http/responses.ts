// What a proxy integration's answer becomes on the wire: REST (payload 1.0) responses need `statusCode` and only
// the documented keys; HTTP API 2.0 and Function URLs also take a bare JSON value (200, application/json) and
// `cookies`. Error bodies are API Gateway's, built in one place here.
import { mediaTypeMatches } from './events';

/** A response ready to send: status, headers in order (repeats allowed) and the body bytes. */
export interface FrontResponse {
  readonly statusCode: number;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/** API Gateway's own answers, by kind of front. */
export const ERRORS = {
  restMissingToken: (): FrontResponse => json(403, { message: 'Missing Authentication Token' }, [['x-amzn-ErrorType', 'MissingAuthenticationTokenException']]),
  httpNotFound: (): FrontResponse => json(404, { message: 'Not Found' }),
  /** A function error or a malformed answer. */
  badGateway: (kind: string): FrontResponse => (kind === 'REST' ? json(502, { message: 'Internal server error' }, [['x-amzn-ErrorType', 'InternalServerErrorException']])
    : kind === 'URL' ? json(502, { Message: 'Internal Server Error' }) : json(500, { message: 'Internal Server Error' })),
  /** API Gateway could not invoke the function (no permission, the function cannot run). */
  internal: (kind: string): FrontResponse => (kind === 'REST' ? json(500, { message: 'Internal server error' }, [['x-amzn-ErrorType', 'InternalServerErrorException']])
    : kind === 'URL' ? json(502, { Message: 'Internal Server Error' }) : json(500, { message: 'Internal Server Error' })),
  timeout: (kind: string): FrontResponse => (kind === 'REST' ? json(504, { message: 'Endpoint request timed out' }, [['x-amzn-ErrorType', 'IntegrationTimeoutException']])
    : json(503, { message: 'Service Unavailable' })),
  urlForbidden: (): FrontResponse => json(403, { Message: 'Forbidden' }, [['x-amzn-ErrorType', 'AccessDeniedException']]),
  tooManyRequests: (kind: string): FrontResponse => json(429, kind === 'URL' ? { Message: 'Rate Exceeded.' } : { message: 'Too Many Requests' }),
  /** A route the twin does not emulate (VTL integrations …): a 500 that says which resource and why. */
  notEmulated: (why: string): FrontResponse => json(500, { message: `lambda-twin does not emulate this integration: ${why}` }, [['x-amzn-ErrorType', 'NotEmulatedByLambdaTwin']]),
};

export function json(statusCode: number, body: any, headers: Array<[string, string]> = []): FrontResponse {
  return { statusCode, headers: [['Content-Type', 'application/json'], ...headers], body: Buffer.from(JSON.stringify(body)) };
}

/** Thrown (and turned into the front's error answer) when a response has the wrong shape. */
export class MalformedResponse extends Error {}

const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'base64Encoded', 'cookies']);

function statusOf(value: any): number {
  const status = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (!Number.isInteger(status) || status < 100 || status > 599) throw new MalformedResponse(`statusCode ${JSON.stringify(value)} is not an HTTP status`);
  return status;
}

function headerPairs(headers: any, multi: any): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const multiNames = new Set(Object.keys(multi ?? {}).map((k) => k.toLowerCase()));
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || Array.isArray(headers)) throw new MalformedResponse('headers is not an object');
    for (const [k, v] of Object.entries(headers)) {
      // multiValueHeaders wins a clash (API Gateway).
      if (!multiNames.has(k.toLowerCase()) && v !== null && v !== undefined) out.push([k, String(v)]);
    }
  }
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) throw new MalformedResponse('multiValueHeaders is not an object');
    for (const [k, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) throw new MalformedResponse(`multiValueHeaders.${k} is not a list`);
      for (const v of values) out.push([k, String(v)]);
    }
  }
  return out;
}

function parsePayload(payload: Buffer): any {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    throw new MalformedResponse('the function returned something that is not JSON');
  }
}

/**
 * A payload 1.0 answer (REST API, HTTP API 1.0). REST: a base64 body is decoded only when the first `Accept` type
 * is a binary media type; HTTP API 1.0 always decodes it.
 */
export function v1Response(payload: Buffer, kind: string, binaryMediaTypes: readonly string[], accept: string | undefined): FrontResponse {
  const value = parsePayload(payload);
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new MalformedResponse('the response is not a JSON object with a statusCode');
  if (value.statusCode === undefined) throw new MalformedResponse('the response has no statusCode');
  if (kind === 'REST') {
    const unknown = Object.keys(value).filter((k) => !V1_KEYS.has(k) || k === 'cookies');
    if (unknown.length) throw new MalformedResponse(`the response has keys a proxy response cannot have: ${unknown.join(', ')}`);
  }
  const statusCode = statusOf(value.statusCode);
  const headers = headerPairs(value.headers, value.multiValueHeaders);
  if (value.body !== undefined && value.body !== null && typeof value.body !== 'string') throw new MalformedResponse('body is not a string');
  const text: string = value.body ?? '';
  const base64 = value.isBase64Encoded === true || value.base64Encoded === true;
  const firstAccept = accept?.split(',')[0];
  const decode = base64 && (kind !== 'REST' || mediaTypeMatches(firstAccept, binaryMediaTypes));
  return { statusCode, headers, body: decode ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

/** A payload 2.0 answer (HTTP API 2.0, Function URLs): structured with `statusCode`, or any JSON value as a 200. */
export function v2Response(payload: Buffer): FrontResponse {
  const text = payload.toString('utf8');
  const value = parsePayload(payload);
  if (!value || typeof value !== 'object' || Array.isArray(value) || value.statusCode === undefined) {
    return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(text, 'utf8') };
  }
  const statusCode = statusOf(value.statusCode);
  const headers = headerPairs(value.headers, undefined);
  if (value.cookies !== undefined && value.cookies !== null) {
    if (!Array.isArray(value.cookies)) throw new MalformedResponse('cookies is not a list');
    for (const cookie of value.cookies) headers.push(['set-cookie', String(cookie)]);
  }
  const body = value.body === undefined || value.body === null ? '' : typeof value.body === 'string' ? value.body : JSON.stringify(value.body);
  return { statusCode, headers, body: value.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8') };
}
