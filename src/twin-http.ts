// The HTTP fronts of a LocalTwin for tests: `twin.fetch(api, path)` and `twin.apiUrl(api)` start one local server
// for the app's REST APIs, HTTP APIs and Function URLs on a free loopback port at first use; it stops with the twin.
import type { HttpFrontAuthOptions } from './engine/http/http-front';
import type { TwinCore } from './engine/twin';
import { HttpFrontServer } from './servers/http-front-server';

/** A request made with `LocalTwin.fetch`. */
export interface FetchOptions {
  /** @default 'GET' */
  readonly method?: string;
  /** @default none */
  readonly headers?: { [name: string]: string };
  /** A text body. @default no body */
  readonly body?: string;
  /** A binary body, base64-encoded (wins over `body`). @default no body */
  readonly bodyBase64?: string;
  /** The stage to call (REST APIs and HTTP APIs with several stages). @default the API's first stage */
  readonly stage?: string;
}

/** What an API or Function URL answered to `LocalTwin.fetch`. */
export interface FetchResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with `, ` (`set-cookie` too). */
  readonly headers: { [name: string]: string };
  /** The body as UTF-8 text. */
  readonly body: string;
  /** The body base64-encoded (for binary responses). */
  readonly bodyBase64: string;
}

const servers = new WeakMap<TwinCore, Promise<HttpFrontServer>>();
const authOptions = new WeakMap<TwinCore, HttpFrontAuthOptions>();

/** What the twin's authorizers need from outside the template (the `jwks` and `accessKeyAccounts` options). */
export function configureHttpAuth(core: TwinCore, options: HttpFrontAuthOptions): void {
  authOptions.set(core, options);
}

/** The twin's HTTP front server, started (on a free loopback port) at first use and stopped at shutdown. */
export function httpFrontServerOf(core: TwinCore): Promise<HttpFrontServer> {
  let server = servers.get(core);
  if (!server) {
    const created = new HttpFrontServer(core, { port: 0, auth: authOptions.get(core) });
    server = created.start().then(() => created);
    servers.set(core, server);
    core.onShutdown(async () => (await server!).stop());
  }
  return server;
}

/** The local base URL of an API (stage) or Function URL. */
export async function apiUrl(core: TwinCore, apiRef: string, stage?: string): Promise<string> {
  const server = await httpFrontServerOf(core);
  const front = server.fronts.find(apiRef);
  const urls = server.urls().filter((u) => u.logicalId === front.id && u.key === server.fronts.keyOf(front));
  const chosen = stage === undefined ? urls[0] : urls.find((u) => u.stage === stage);
  if (!chosen) {
    const stages = urls.map((u) => u.stage).join(', ') || 'none: deploy one with a Stage or Deployment';
    throw new Error(`API '${apiRef}' has no stage ${stage === undefined ? '' : `'${stage}' `}(stages: ${stages})`);
  }
  return chosen.url;
}

/** Sends one request to an API or Function URL through the local server. */
export async function fetchApi(core: TwinCore, apiRef: string, path: string, options: FetchOptions = {}): Promise<FetchResponse> {
  const base = await apiUrl(core, apiRef, options.stage);
  const body = options.bodyBase64 !== undefined ? Buffer.from(options.bodyBase64, 'base64') : options.body;
  const response = await fetch(base + (path.startsWith('/') ? path : `/${path}`), {
    method: options.method ?? 'GET',
    headers: options.headers,
    body,
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const headers: { [name: string]: string } = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie?.();
  if (cookies?.length) headers['set-cookie'] = cookies.join(', ');
  return { status: response.status, headers, body: bytes.toString('utf8'), bodyBase64: bytes.toString('base64') };
}
