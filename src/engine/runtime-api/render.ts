// Bodies of the Runtime API's answers, built in one place as RAPID renders them: `{"errorMessage","errorType"}`
// for errors, `{"status":"OK"}` for accepted posts.
import * as http from 'http';

const ACCEPTED_BODY = Buffer.from('{"status":"OK"}');
const NOT_FOUND_BODY = Buffer.from('404 page not found\n');

/** Sends a Runtime API error response. */
export function renderRuntimeApiError(res: http.ServerResponse, status: number, errorType: string, errorMessage: string): void {
  const body = JSON.stringify({ errorMessage, errorType });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** 202 Accepted, as RAPID answers a response, an error or an init error it took. */
export function renderAccepted(res: http.ServerResponse): void {
  res.writeHead(202, { 'Content-Type': 'application/json', 'Content-Length': ACCEPTED_BODY.length });
  res.end(ACCEPTED_BODY);
}

/** A path the API does not have: RAPID's router answers in plain text. */
export function renderNotFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': NOT_FOUND_BODY.length });
  res.end(NOT_FOUND_BODY);
}

/** A known path asked with the wrong method. */
export function renderMethodNotAllowed(res: http.ServerResponse, allowed: string): void {
  res.writeHead(405, { 'Allow': allowed, 'Content-Length': 0 });
  res.end();
}

const VALID_ERROR_TYPE = /^(Runtime|Function)\.[A-Z][a-zA-Z]+$/;

/**
 * The error type the platform records (INIT_REPORT, REPORT) for what a runtime sent: RAPID keeps
 * `Runtime.X` / `Function.X` values and maps anything else to `Runtime.Unknown` / `Function.Unknown`.
 */
export function platformErrorType(sent: string | undefined, fallback: 'Runtime' | 'Function'): string {
  return sent !== undefined && VALID_ERROR_TYPE.test(sent) ? sent : `${fallback}.Unknown`;
}

/** The `errorType` of a runtime's JSON error body, if it has one. */
export function errorTypeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    return typeof parsed?.errorType === 'string' ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}
