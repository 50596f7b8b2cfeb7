// The Lambda Runtime API (2018-06-01) for one execution environment, served on loopback. The runtime inside
// the environment (our bootstraps, aws-lambda-ric, or a user's `bootstrap`) is its only client.
import * as http from 'http';
import { AddressInfo } from 'net';
import { renderRuntimeApiError } from './render';

/** The largest buffered response a runtime may post (RIE's MaxPayloadSize: 6 MiB + 100 bytes). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;

/** An event handed to the runtime through `/next`. */
export interface PendingInvocation {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId?: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
}

/** What the runtime reported for an invocation. */
export interface RuntimeOutcome {
  readonly kind: 'response' | 'error';
  readonly body: Buffer;
  readonly contentType?: string;
  /** `Lambda-Runtime-Function-Error-Type` for errors (any string the runtime sent). */
  readonly errorType?: string;
}

/** The events the environment listens to. Each is called at most once per invocation / init. */
export interface RuntimeApiListener {
  /** The runtime asked for the next event (so INIT or the previous invocation is over). */
  onNext(): void;
  /** The runtime posted `/runtime/init/error`. */
  onInitError(errorType: string, body: Buffer): void;
  /** The runtime posted the result or the error of the current invocation. */
  onOutcome(requestId: string, outcome: RuntimeOutcome): void;
}

const RUNTIME_PREFIX = '/2018-06-01/runtime/';

/**
 * Serves the Runtime API for one environment. State is small on purpose: at most one parked `/next`
 * request, at most one invocation in flight.
 */
export class RuntimeApiServer {
  private readonly server: http.Server;
  private parkedNext?: http.ServerResponse;
  private queued?: PendingInvocation;
  private current?: PendingInvocation;
  private answered = false;
  private port = 0;

  constructor(private readonly listener: RuntimeApiListener) {
    this.server = http.createServer({ keepAlive: true }, (req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 0; // bootstraps hold one connection for the life of the environment
    this.server.headersTimeout = 0;
    this.server.requestTimeout = 0;
  }

  /** Starts listening on an ephemeral loopback port; returns `host:port` for `AWS_LAMBDA_RUNTIME_API`. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return `127.0.0.1:${this.port}`;
  }

  /** Hands an event to the runtime: now if it is parked in `/next`, otherwise when it next asks. */
  deliver(invocation: PendingInvocation): void {
    this.current = invocation;
    this.answered = false;
    const parked = this.parkedNext;
    if (parked) {
      this.parkedNext = undefined;
      this.sendInvocation(parked, invocation);
    } else {
      this.queued = invocation;
    }
  }

  /** Forgets the current invocation (after a timeout or a crash): late posts get `InvalidRequestID`. */
  clearInvocation(): void {
    this.current = undefined;
    this.queued = undefined;
  }

  async close(): Promise<void> {
    this.parkedNext?.destroy();
    this.parkedNext = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    if (!url.startsWith(RUNTIME_PREFIX)) {
      this.routeOtherApis(req, res, url);
      return;
    }
    const rest = url.slice(RUNTIME_PREFIX.length);
    if (req.method === 'GET' && rest === 'invocation/next') {
      this.handleNext(req, res);
    } else if (req.method === 'POST' && rest === 'init/error') {
      readBody(req, MAX_RESPONSE_BYTES, (body) => {
        this.listener.onInitError(headerValue(req, 'lambda-runtime-function-error-type') ?? 'Runtime.Unknown', body ?? Buffer.alloc(0));
        sendAccepted(res);
      });
    } else if (req.method === 'POST' && rest.startsWith('invocation/')) {
      this.handlePost(req, res, rest.slice('invocation/'.length));
    } else {
      drain(req, () => renderRuntimeApiError(res, 404, 'InvalidRequest', `Unknown Runtime API path ${req.method} ${url}`));
    }
  }

  private handleNext(req: http.IncomingMessage, res: http.ServerResponse): void {
    drain(req, () => {
      if (this.parkedNext) {
        renderRuntimeApiError(res, 403, 'InvalidStateTransition', 'A /next request is already waiting for an event');
        return;
      }
      if (this.current && !this.answered && !this.queued) {
        // The runtime asked for more work without answering the current invocation.
        renderRuntimeApiError(res, 403, 'InvalidStateTransition', `Invocation ${this.current.requestId} has not been answered`);
        return;
      }
      const queued = this.queued;
      if (queued) {
        this.queued = undefined;
        this.sendInvocation(res, queued);
        return;
      }
      this.parkedNext = res;
      res.once('close', () => {
        if (this.parkedNext === res) this.parkedNext = undefined;
      });
      this.listener.onNext();
    });
  }

  private handlePost(req: http.IncomingMessage, res: http.ServerResponse, rest: string): void {
    const slash = rest.indexOf('/');
    const requestId = decodeURIComponent(rest.slice(0, slash));
    const action = rest.slice(slash + 1);
    if (action !== 'response' && action !== 'error') {
      drain(req, () => renderRuntimeApiError(res, 404, 'InvalidRequest', `Unknown Runtime API path POST ${req.url}`));
      return;
    }
    const current = this.current;
    if (!current || current.requestId !== requestId || this.answered) {
      drain(req, () => renderRuntimeApiError(res, 400, 'InvalidRequestID', 'Invalid request ID'));
      return;
    }
    const responseMode = headerValue(req, 'lambda-runtime-function-response-mode');
    if (action === 'response' && responseMode !== undefined && responseMode.toLowerCase() !== 'streaming') {
      drain(req, () => {
        renderRuntimeApiError(res, 400, 'InvalidFunctionResponseMode', `Invalid response mode: ${responseMode}`);
      });
      return;
    }
    readBody(req, MAX_RESPONSE_BYTES, (body) => {
      this.answered = true;
      if (body === undefined) {
        const size = Number(req.headers['content-length'] ?? 0);
        renderRuntimeApiError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`);
        this.listener.onOutcome(requestId, {
          kind: 'error',
          errorType: 'Function.ResponseSizeTooLarge',
          body: Buffer.from(JSON.stringify({
            errorMessage: `Response payload size (${size > 0 ? size : 'more than ' + MAX_RESPONSE_BYTES} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
            errorType: 'Function.ResponseSizeTooLarge',
          })),
        });
        return;
      }
      sendAccepted(res);
      this.listener.onOutcome(requestId, {
        kind: action,
        body,
        contentType: headerValue(req, 'content-type'),
        errorType: action === 'error' ? headerValue(req, 'lambda-runtime-function-error-type') ?? 'Unhandled' : undefined,
      });
    });
  }

  /** Extensions, Logs and Telemetry APIs: accepted without effect, so extension code does not crash. */
  private routeOtherApis(req: http.IncomingMessage, res: http.ServerResponse, url: string): void {
    drain(req, () => {
      if (url.startsWith('/2020-01-01/extension/register')) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Lambda-Extension-Identifier': 'lambda-twin-extension' });
        res.end(JSON.stringify({ functionName: '', functionVersion: '$LATEST', handler: '' }));
      } else if (url.startsWith('/2020-08-15/logs') || url.startsWith('/2022-07-01/telemetry')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      } else if (url === '/ping' || url === '/2018-06-01/ping') {
        res.writeHead(200);
        res.end('pong');
      } else {
        renderRuntimeApiError(res, 404, 'InvalidRequest', `Unknown API path ${req.method} ${url}`);
      }
    });
  }

  private sendInvocation(res: http.ServerResponse, inv: PendingInvocation): void {
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': 'application/json',
      'Content-Length': inv.payload.length,
      'Lambda-Runtime-Aws-Request-Id': inv.requestId,
      'Lambda-Runtime-Deadline-Ms': String(inv.deadlineMs),
      'Lambda-Runtime-Invoked-Function-Arn': inv.invokedFunctionArn,
    };
    if (inv.traceId) headers['Lambda-Runtime-Trace-Id'] = inv.traceId;
    if (inv.clientContext) headers['Lambda-Runtime-Client-Context'] = inv.clientContext;
    if (inv.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = inv.cognitoIdentity;
    res.writeHead(200, headers);
    res.end(inv.payload);
  }
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function sendAccepted(res: http.ServerResponse): void {
  res.writeHead(202, { 'Content-Type': 'application/json', 'Content-Length': 15 });
  res.end('{"status":"OK"}');
}

/** Reads a request body up to `limit` bytes; calls back with undefined when it is larger. */
function readBody(req: http.IncomingMessage, limit: number, done: (body: Buffer | undefined) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      tooLarge = true;
      chunks.length = 0;
    } else if (!tooLarge) {
      chunks.push(chunk);
    }
  });
  req.on('end', () => done(tooLarge ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  req.on('error', () => done(Buffer.alloc(0)));
}

function drain(req: http.IncomingMessage, then: () => void): void {
  if (req.readableEnded || req.headers['content-length'] === '0' || (req.method === 'GET' && !req.headers['transfer-encoding'])) {
    req.resume();
    then();
    return;
  }
  req.resume();
  req.once('end', then);
}
