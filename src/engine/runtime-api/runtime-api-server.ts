// The Lambda Runtime API (2018-06-01) for one execution environment, served on loopback. The runtime inside
// the environment (our bootstraps, aws-lambda-ric, or a user's `bootstrap`) is its only client. Malformed
// requests get an error answer, never an exception: the server outlives anything a runtime sends.
import * as http from 'http';
import { AddressInfo, Socket } from 'net';
import { renderAccepted, renderMethodNotAllowed, renderNotFound, renderRuntimeApiError } from './render';
import { InvocationEvent } from '../invocation';

/** The largest buffered response a runtime may post (RIE's MaxPayloadSize: 6 MiB + 100 bytes). */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100;
/** The largest streamed response (Lambda's response streaming limit, 200 MB). */
export const MAX_STREAMED_RESPONSE_BYTES = 200 * 1024 * 1024;

/** An event handed to the runtime through `/next`. */
/** An invocation waiting for, or handed to, the runtime: the record and the deadline of its time budget. */
export interface PendingInvocation extends InvocationEvent {
  /** When the time budget ends (ms since the epoch, `Lambda-Runtime-Deadline-Ms`). */
  readonly deadlineMs: number;
}

/** What the runtime reported for an invocation. */
export interface RuntimeOutcome {
  readonly kind: 'response' | 'error';
  readonly body: Buffer;
  readonly contentType?: string;
  /** `Lambda-Runtime-Function-Error-Type` for errors (any string the runtime sent). */
  readonly errorType?: string;
  /** The response was streamed (`Lambda-Runtime-Function-Response-Mode: streaming`). */
  readonly streamed?: boolean;
}

/** The events the environment listens to. Each is called at most once per invocation / init. */
export interface RuntimeApiListener {
  /** The runtime asked for the next event (so INIT or the previous invocation is over). */
  onNext(): void;
  /** The runtime posted `/runtime/init/error`. */
  onInitError(errorType: string | undefined, body: Buffer): void;
  /** The runtime posted the result or the error of the current invocation. */
  onOutcome(requestId: string, outcome: RuntimeOutcome): void;
  /**
   * A piece of a streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`), as it arrives and before
   * `onOutcome`, which still gets the whole body. Chunk boundaries are the transport's, not the runtime's writes.
   */
  onResponseChunk?(requestId: string, chunk: Buffer): void;
}

const RUNTIME_PREFIX = '/2018-06-01/runtime/';
const ERROR_TYPE_HEADER = 'lambda-runtime-function-error-type';
const ERROR_BODY_TRAILER = 'lambda-runtime-function-error-body';
const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode';

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
  /** Until the runtime first asks for an event, it is initializing: only then may it post /init/error. */
  private initializing = true;
  private closed = false;
  /** Requests that came pipelined behind one still being read, by connection: served in order, as RAPID does. */
  private readonly pipelined = new WeakMap<Socket, Array<() => void>>();

  constructor(private readonly listener: RuntimeApiListener) {
    this.server = http.createServer({ keepAlive: true, maxHeaderSize: 64 * 1024, noDelay: true }, (req, res) => this.accept(req, res));
    this.server.keepAliveTimeout = 0; // bootstraps hold one connection for the life of the environment
    this.server.headersTimeout = 0;
    this.server.requestTimeout = 0;
    // A malformed request line or header: answer 400 and close, as any HTTP server would.
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Starts listening on an ephemeral loopback port; returns `host:port` for `AWS_LAMBDA_RUNTIME_API`. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Hands an event to the runtime: now if it is parked in `/next`, otherwise when it next asks. */
  deliver(invocation: PendingInvocation): void {
    this.current = invocation;
    this.answered = false;
    const parked = this.parkedNext;
    if (parked) {
      this.parkedNext = undefined;
      sendInvocation(parked, invocation);
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
    if (this.closed) return;
    this.closed = true;
    this.parkedNext?.destroy();
    this.parkedNext = undefined;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Serves a connection's requests one after another: a runtime may pipeline its result and the next /next
   * (our bootstraps do), and the /next must not be looked at before the result's body is in.
   */
  private accept(req: http.IncomingMessage, res: http.ServerResponse): void {
    const waiting = this.pipelined.get(req.socket);
    if (waiting) {
      waiting.push(() => this.serveInTurn(req, res));
      return;
    }
    this.pipelined.set(req.socket, []);
    this.serveInTurn(req, res);
  }

  private serveInTurn(req: http.IncomingMessage, res: http.ServerResponse): void {
    let done = false;
    const nextInTurn = () => {
      if (done) return;
      done = true;
      const waiting = this.pipelined.get(req.socket);
      const next = waiting?.shift();
      if (next) next();
      else this.pipelined.delete(req.socket);
    };
    this.route(req, res);
    // After the handler's own 'end' listener: the request was read and acted on.
    if (req.readableEnded) {
      nextInTurn();
    } else {
      req.once('end', nextInTurn);
      req.once('close', nextInTurn);
    }
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    if (!url.startsWith(RUNTIME_PREFIX)) {
      this.routeOtherApis(req, res, url);
      return;
    }
    const rest = url.slice(RUNTIME_PREFIX.length);
    if (rest === 'invocation/next') {
      if (req.method !== 'GET') return drain(req, () => renderMethodNotAllowed(res, 'GET'));
      this.handleNext(req, res);
    } else if (rest === 'init/error') {
      if (req.method !== 'POST') return drain(req, () => renderMethodNotAllowed(res, 'POST'));
      this.handleInitError(req, res);
    } else if (rest === 'restore/next' || rest === 'restore/error') {
      // SnapStart hooks: valid only when init caching is on, which a local twin never does.
      drain(req, () => renderRuntimeApiError(res, 403, 'InvalidStateTransition', `State transition is not allowed: ${rest} is only valid with SnapStart`));
    } else if (rest.startsWith('invocation/')) {
      this.handleInvocationPost(req, res, rest.slice('invocation/'.length));
    } else {
      drain(req, () => renderNotFound(res));
    }
  }

  private handleNext(req: http.IncomingMessage, res: http.ServerResponse): void {
    drain(req, () => {
      if (this.parkedNext) {
        renderRuntimeApiError(res, 403, 'InvalidStateTransition', 'State transition is not allowed: a /next request is already waiting for an event');
        return;
      }
      if (this.current && !this.answered && !this.queued) {
        // The runtime asked for more work without answering the current invocation.
        renderRuntimeApiError(res, 403, 'InvalidStateTransition', `State transition is not allowed: invocation ${this.current.requestId} has not been answered`);
        return;
      }
      this.initializing = false;
      const queued = this.queued;
      if (queued) {
        this.queued = undefined;
        sendInvocation(res, queued);
        return;
      }
      this.parkedNext = res;
      res.once('close', () => {
        if (this.parkedNext === res) this.parkedNext = undefined;
      });
      this.listener.onNext();
    });
  }

  private handleInitError(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!this.initializing) {
      drain(req, () => renderRuntimeApiError(res, 403, 'InvalidStateTransition', 'State transition is not allowed: /init/error is only valid during INIT'));
      return;
    }
    readBody(req, MAX_RESPONSE_BYTES, (body) => {
      renderAccepted(res);
      this.listener.onInitError(headerValue(req, ERROR_TYPE_HEADER), body ?? Buffer.alloc(0));
    });
  }

  private handleInvocationPost(req: http.IncomingMessage, res: http.ServerResponse, rest: string): void {
    const slash = rest.indexOf('/');
    const action = slash < 0 ? '' : rest.slice(slash + 1);
    if (action !== 'response' && action !== 'error') {
      drain(req, () => renderNotFound(res));
      return;
    }
    if (req.method !== 'POST') {
      drain(req, () => renderMethodNotAllowed(res, 'POST'));
      return;
    }
    let requestId: string;
    try {
      requestId = decodeURIComponent(rest.slice(0, slash));
    } catch {
      requestId = '';
    }
    const current = this.current;
    if (!current || current.requestId !== requestId || this.answered) {
      drain(req, () => renderRuntimeApiError(res, 400, 'InvalidRequestID', 'Invalid request ID'));
      return;
    }
    const responseMode = headerValue(req, RESPONSE_MODE_HEADER);
    const streamed = action === 'response' && responseMode !== undefined && responseMode.toLowerCase() === 'streaming';
    if (action === 'response' && responseMode !== undefined && !streamed) {
      drain(req, () => renderRuntimeApiError(res, 400, 'InvalidFunctionResponseMode', `Invalid response mode: ${responseMode}`));
      return;
    }
    const limit = streamed ? MAX_STREAMED_RESPONSE_BYTES : MAX_RESPONSE_BYTES;
    // A streamed body is handed on while it arrives, for as long as its invocation is the current one.
    const forwardChunk = streamed && this.listener.onResponseChunk
      ? (chunk: Buffer) => {
        if (this.current === current && !this.answered) this.listener.onResponseChunk?.(requestId, chunk);
      }
      : undefined;
    readBody(req, limit, (body, size) => {
      if (this.current !== current || this.answered) {
        // The invocation timed out (or was answered) while the body was arriving.
        renderRuntimeApiError(res, 400, 'InvalidRequestID', 'Invalid request ID');
        return;
      }
      this.answered = true;
      if (body === undefined) {
        renderRuntimeApiError(res, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${limit} bytes).`);
        this.listener.onOutcome(requestId, responseTooLarge(size, limit));
        return;
      }
      renderAccepted(res);
      const trailerErrorType = streamed ? headerValue({ headers: req.trailers } as http.IncomingMessage, ERROR_TYPE_HEADER) : undefined;
      if (trailerErrorType !== undefined) {
        // A streamed response that failed midway reports the error in trailers.
        const errorBody = headerValue({ headers: req.trailers } as http.IncomingMessage, ERROR_BODY_TRAILER);
        this.listener.onOutcome(requestId, {
          kind: 'error',
          errorType: trailerErrorType,
          body: errorBody ? Buffer.from(errorBody, 'base64') : Buffer.from(JSON.stringify({ errorType: trailerErrorType, errorMessage: '' })),
          streamed,
        });
        return;
      }
      this.listener.onOutcome(requestId, {
        kind: action,
        body,
        contentType: headerValue(req, 'content-type'),
        errorType: action === 'error' ? headerValue(req, ERROR_TYPE_HEADER) ?? 'Unhandled' : undefined,
        streamed,
      });
    }, forwardChunk);
  }

  /** Extensions, Logs and Telemetry APIs: accepted without effect, so extension code does not crash. */
  private routeOtherApis(req: http.IncomingMessage, res: http.ServerResponse, url: string): void {
    drain(req, () => {
      if (url.startsWith('/2020-01-01/extension/register')) {
        const body = JSON.stringify({ functionName: '', functionVersion: '$LATEST', handler: '' });
        res.writeHead(200, { 'Content-Type': 'application/json', 'Lambda-Extension-Identifier': 'lambda-twin-extension' });
        res.end(body);
      } else if (url.startsWith('/2020-01-01/extension/')) {
        renderRuntimeApiError(res, 403, 'Extension.Unsupported', 'lambda-twin does not run extensions: the Extensions API only accepts registration');
      } else if (url.startsWith('/2020-08-15/logs') || url.startsWith('/2022-07-01/telemetry')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      } else if (url === '/ping' || url === '/2018-06-01/ping') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('pong');
      } else {
        renderNotFound(res);
      }
    });
  }
}

function sendInvocation(res: http.ServerResponse, inv: PendingInvocation): void {
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/json',
    'Content-Length': inv.payload.length,
    'Lambda-Runtime-Aws-Request-Id': inv.requestId,
    'Lambda-Runtime-Deadline-Ms': String(Math.floor(inv.deadlineMs)), // an integer: aws-lambda-go fails on a fraction
    'Lambda-Runtime-Invoked-Function-Arn': inv.invokedFunctionArn,
  };
  if (inv.traceId) headers['Lambda-Runtime-Trace-Id'] = inv.traceId;
  if (inv.clientContext) headers['Lambda-Runtime-Client-Context'] = inv.clientContext;
  if (inv.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = inv.cognitoIdentity;
  if (inv.tenantId) headers['Lambda-Runtime-Aws-Tenant-Id'] = inv.tenantId;
  res.writeHead(200, headers);
  res.end(inv.payload);
}

function responseTooLarge(size: number, limit: number): RuntimeOutcome {
  const errorType = 'Function.ResponseSizeTooLarge';
  return {
    kind: 'error',
    errorType,
    body: Buffer.from(JSON.stringify({
      errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${limit} bytes).`,
      errorType,
    })),
  };
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads a request body up to `limit` bytes; calls back with undefined (and the size seen) when it is larger.
 * `onChunk` sees each piece within the limit as it arrives.
 */
function readBody(
  req: http.IncomingMessage, limit: number, done: (body: Buffer | undefined, size: number) => void, onChunk?: (chunk: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (body: Buffer | undefined) => {
    if (finished) return;
    finished = true;
    done(body, size);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) {
      chunks.push(chunk);
      onChunk?.(chunk);
    } else {
      chunks.length = 0;
    }
  });
  req.on('end', () => finish(size > limit ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  // A body cut short (the runtime died mid-post): treat what arrived as nothing; the exit handler reports it.
  req.on('error', () => undefined);
}

function drain(req: http.IncomingMessage, then: () => void): void {
  if (req.complete || (req.method === 'GET' && !req.headers['transfer-encoding'] && !req.headers['content-length'])) {
    req.resume();
    then();
    return;
  }
  req.on('error', () => undefined);
  req.once('end', then);
  req.resume();
}
