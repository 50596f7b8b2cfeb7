// Error bodies of the Runtime API, built in one place: `{"errorMessage","errorType"}` as RAPID renders them.
import * as http from 'http';

/** Sends a Runtime API error response. */
export function renderRuntimeApiError(res: http.ServerResponse, status: number, errorType: string, errorMessage: string): void {
  const body = JSON.stringify({ errorMessage, errorType });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
