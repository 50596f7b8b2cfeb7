// Reads the identity sources of an authorizer from a request: REST `method.request.header.X`,
// `method.request.querystring.x`, `stageVariables.x`, `context.x`; HTTP API `$request.header.X`,
// `$request.querystring.x`, `$stageVariables.x`, `$context.x`. Header names are case-insensitive, query names not.
import type { AuthorizeInput } from './authorize';

export interface IdentityValues {
  /** The value of each identity source, in order. */
  readonly values: readonly string[];
  /** The sources that are missing, null or empty (API Gateway answers 401 without calling the authorizer). */
  readonly missing: readonly string[];
}

export function identityValues(input: AuthorizeInput, sources: readonly string[]): IdentityValues {
  const values: string[] = [];
  const missing: string[] = [];
  for (const source of sources) {
    const value = identityValue(input, source);
    if (value === undefined || value === '') missing.push(source);
    else values.push(value);
  }
  return { values, missing };
}

/** One identity source's value in `input`, or undefined. */
export function identityValue(input: AuthorizeInput, source: string): string | undefined {
  const s = source.trim();
  const m = /^(?:method\.request\.|\$request\.)(header|querystring)\.(.+)$/i.exec(s);
  if (m) return m[1].toLowerCase() === 'header' ? headerValue(input, m[2]) : queryValue(input, m[2]);
  const stage = /^\$?stageVariables\.(.+)$/.exec(s);
  if (stage) return input.stageVariables?.[stage[1]];
  const context = /^\$?context\.(.+)$/.exec(s);
  if (context) return contextValue(input, context[1]);
  return undefined;
}

/** A header's value (repeated headers comma-joined, as API Gateway passes them to authorizers). */
export function headerValue(input: AuthorizeInput, name: string): string | undefined {
  const value = input.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(',');
}

function queryValue(input: AuthorizeInput, name: string): string | undefined {
  const all = new URLSearchParams(input.rawQueryString).getAll(name);
  return all.length === 0 ? undefined : all.join(',');
}

function contextValue(input: AuthorizeInput, name: string): string | undefined {
  const known: Record<string, string | undefined> = {
    'httpMethod': input.method,
    'http.method': input.method,
    'path': input.path,
    'http.path': input.path,
    'resourcePath': input.resourcePath,
    'routeKey': input.routeKey,
    'stage': input.stage,
    'requestId': input.requestId,
    'sourceIp': input.sourceIp,
    'identity.sourceIp': input.sourceIp,
    'http.sourceIp': input.sourceIp,
    'apiId': input.apiPhysicalId,
    'accountId': input.accountId,
  };
  return known[name];
}
