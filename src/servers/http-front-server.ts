// One local HTTP server for all the HTTP fronts of an app (REST APIs, HTTP APIs, Function URLs) on one port. A
// request reaches a front by its Host (`<api id>.execute-api.<anything>`, `<url id>.lambda-url.<anything>`) or by
// a path prefix: `/<api>/<stage>/…` for REST, `/<api>/…` (or `/<api>/<stage>/…`) for HTTP APIs and
// `/__url/<function>/…` for Function URLs; an app with a single API also serves it at `/`. A component shared
// by `lambda-twin start-api`, `twin.fetch` and the console; it logs one line a request.
import * as http from 'http';
import { AddressInfo } from 'net';
import { FrontLogEntry, HttpFrontAuthOptions, HttpFronts, ResponseSink } from '../engine/http/http-front';
import type { TwinCore } from '../engine/twin';
import { HttpFrontSpec } from '../model/apis';

export interface HttpFrontServerOptions {
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** 0 picks a free port. @default 3000 */
  readonly port?: number;
  /** Called once per request, after the response ended. */
  readonly onLog?: (entry: FrontLogEntry) => void;
  /** What the authorizers need from outside the template (JWKS of issuers, accounts of access keys). */
  readonly auth?: HttpFrontAuthOptions;
}

/** The local base URL of one front (and stage). */
export interface FrontUrl {
  /** The front's key (what `twin.fetch` and the path prefix use). */
  readonly key: string;
  /** `REST`, `HTTP`, `URL`. */
  readonly kind: string;
  readonly logicalId: string;
  readonly stage: string;
  /** Base URL: append the path (`/items/1`). */
  readonly url: string;
}

const URL_PREFIX = '__url';
const BODY_LIMIT = 10 * 1024 * 1024;

export class HttpFrontServer {
  public readonly fronts: HttpFronts;
  private readonly server: http.Server;
  private listeningPort = 0;

  constructor(core: TwinCore, private readonly options: HttpFrontServerOptions = {}) {
    this.fronts = new HttpFronts(core, options.auth);
    this.server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: `lambda-twin: ${(err as Error).message}` }));
      });
    });
    this.server.keepAliveTimeout = 5000;
  }

  /** Starts listening; resolves with the base URL. */
  public async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 3000, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.listeningPort = (this.server.address() as AddressInfo).port;
    return this.baseUrl;
  }

  public get port(): number {
    return this.listeningPort;
  }

  public get baseUrl(): string {
    const host = this.options.host ?? '127.0.0.1';
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return `http://${shown}:${this.listeningPort}`;
  }

  /** The base URL of every front and stage. */
  public urls(): FrontUrl[] {
    const out: FrontUrl[] = [];
    for (const front of this.fronts.fronts) {
      const key = this.fronts.keyOf(front);
      if (front.kind === 'URL') {
        out.push({ key, kind: front.kind, logicalId: front.id, stage: '$default', url: `${this.baseUrl}/${URL_PREFIX}/${encodeURIComponent(key)}` });
        continue;
      }
      for (const stage of this.fronts.stagesOf(front)) {
        const stagePart = stage.name === '$default' ? '' : `/${encodeURIComponent(stage.name)}`;
        out.push({ key, kind: front.kind, logicalId: front.id, stage: stage.name, url: `${this.baseUrl}/${encodeURIComponent(key)}${stagePart}` });
      }
    }
    return out;
  }

  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** The front a request is for and the path inside it (stage included). */
  private route(req: http.IncomingMessage, path: string): { front: HttpFrontSpec; path: string } | undefined {
    const host = (req.headers.host ?? '').split(':')[0].toLowerCase();
    const byHost = /^([a-z0-9]+)\.(execute-api|lambda-url)\./.exec(host);
    if (byHost) {
      const front = this.fronts.fronts.find((f) => f.physicalId === byHost[1]);
      if (front) return { front, path };
    }
    const segments = /^\/([^/]*)(\/.*)?$/.exec(path);
    const first = segments ? safeDecode(segments[1]) : '';
    if (first === URL_PREFIX) {
      const rest = /^\/([^/]*)(\/.*)?$/.exec(segments![2] ?? '');
      const key = rest ? safeDecode(rest[1]) : '';
      const front = this.fronts.fronts.find((f) => f.kind === 'URL' && this.fronts.keyOf(f) === key);
      return front ? { front, path: rest![2] ?? '/' } : undefined;
    }
    const apis = this.fronts.fronts.filter((f) => f.kind !== 'URL');
    const front = apis.find((f) => this.fronts.keyOf(f) === first);
    if (front) return { front, path: segments![2] ?? '/' };
    if (apis.length === 1) return { front: apis[0], path };
    return undefined;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const rawQueryString = q < 0 ? '' : target.slice(q + 1);
    const found = this.route(req, path);
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({
        message: `No API or Function URL is served at ${path}. Local URLs: ${this.urls().map((u) => u.url).join(', ') || '(none: the app has no APIs or Function URLs)'}`,
      }));
      this.options.onLog?.({ front: '-', method: req.method ?? 'GET', path: target, statusCode: 404, durationMs: 0, note: 'no front at this path' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > BODY_LIMIT) {
        res.writeHead(413, { 'Content-Type': 'application/json', 'Connection': 'close' });
        res.end(JSON.stringify({ message: 'Request Too Long' }));
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const rawHeaders: Array<[string, string]> = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const sink: ResponseSink = {
      head: (status, headers) => {
        const flat: string[] = [];
        for (const [k, v] of headers) flat.push(k, v);
        res.writeHead(status, flat);
        res.flushHeaders();
      },
      write: (chunk) => {
        res.write(chunk);
      },
      end: () => {
        res.end();
      },
    };
    const entry = await this.fronts.handle(found.front, {
      method: (req.method ?? 'GET').toUpperCase(),
      path: found.path,
      rawQueryString,
      rawHeaders,
      body: Buffer.concat(chunks),
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      protocol: `HTTP/${req.httpVersion}`,
    }, sink);
    this.options.onLog?.(entry);
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A request log line: `GET /items/1 200 12.3 ms → fn (note)`. */
export function formatLogEntry(entry: FrontLogEntry): string {
  const fn = entry.functionName ? ` → ${entry.functionName}` : '';
  const note = entry.note ? ` (${entry.note})` : '';
  return `${entry.method} ${entry.front === '-' ? '' : `[${entry.front}] `}${entry.path} ${entry.statusCode} ${entry.durationMs.toFixed(1)} ms${fn}${note}`;
}
