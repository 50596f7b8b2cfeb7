// CORS as HTTP APIs and Function URLs apply their configuration: the front answers preflight requests itself and
// sets the CORS headers of every response (the function's own CORS headers are replaced). REST APIs have no such
// configuration: their OPTIONS MOCK methods (CDK's defaultCorsPreflightOptions, SAM's Cors) are ordinary routes.
import { FrontResponse } from './responses';
import { CorsSpec } from '../../model/apis';

function allowedOrigin(cors: CorsSpec, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  if (cors.allowOrigins.includes(origin)) return origin;
  if (cors.allowOrigins.includes('*')) return cors.allowCredentials ? origin : '*';
  return undefined;
}

/** Whether the request is a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method). */
export function isPreflight(method: string, header: (name: string) => string | undefined): boolean {
  return method === 'OPTIONS' && header('origin') !== undefined && header('access-control-request-method') !== undefined;
}

/** The front's own answer to a preflight request. */
export function preflightResponse(cors: CorsSpec, header: (name: string) => string | undefined, statusCode: number): FrontResponse {
  const headers: Array<[string, string]> = [];
  const origin = allowedOrigin(cors, header('origin'));
  const method = header('access-control-request-method')!.toUpperCase();
  const methodAllowed = cors.allowMethods.includes('*') || cors.allowMethods.includes(method);
  if (origin && methodAllowed) {
    headers.push(['access-control-allow-origin', origin]);
    headers.push(['access-control-allow-methods', cors.allowMethods.includes('*') ? method : cors.allowMethods.join(',')]);
    const requested = header('access-control-request-headers');
    if (cors.allowHeaders.length) headers.push(['access-control-allow-headers', cors.allowHeaders.includes('*') && requested ? requested : cors.allowHeaders.join(',')]);
    if (cors.exposeHeaders.length) headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
    if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if (origin !== '*') headers.push(['vary', 'Origin']);
  }
  return { statusCode, headers, body: Buffer.alloc(0) };
}

/** The response with the configuration's CORS headers in place of the function's. */
export function withCorsHeaders(cors: CorsSpec, response: FrontResponse, origin: string | undefined): FrontResponse {
  const headers = response.headers.filter(([k]) => !k.toLowerCase().startsWith('access-control-'));
  const allowed = allowedOrigin(cors, origin);
  if (allowed) {
    headers.push(['access-control-allow-origin', allowed]);
    if (cors.exposeHeaders.length) headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
    if (allowed !== '*') headers.push(['vary', 'Origin']);
  }
  return { ...response, headers };
}
