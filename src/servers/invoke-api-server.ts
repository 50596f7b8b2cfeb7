// The local Lambda Invoke API: an HTTP server for `POST /2015-03-31/functions/{FunctionName}/invocations` (and its
// streaming twin, InvokeWithResponseStream) that the AWS SDKs and the AWS CLI call unchanged (endpoint override),
// answering with Lambda's statuses, headers and errors.
import * as crypto from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import { coreOf } from '../core-of';
import type { RunnerResult } from '../engine/function-runner';
import { InvokeApiError, invalidParameter, methodNotAllowed, requestTooLarge, serviceUnavailable, SYNC_PAYLOAD_LIMIT, toInvokeApiError, tooManyRequests, unknownOperation } from '../engine/invoke-api/errors';
import { EVENT_STREAM_CONTENT_TYPE, encodeEvent } from '../engine/invoke-api/event-stream';
import { decodeClientContext, PRINCIPAL_HEADER, PRINCIPAL_ORG_ID_HEADER, SOURCE_ACCOUNT_HEADER, SOURCE_ARN_HEADER } from '../engine/invoke-api/request-headers';
import { CallerIdentity } from '../engine/invoke-api/resource-policy';
import { tail4k } from '../engine/logs/platform-lines';
import type { TwinCore } from '../engine/twin';
import type { LocalTwin } from '../local-twin';

/** Options of an `InvokeApiServer`. */
export interface InvokeApiServerOptions {
  /**
   * Address to listen on. Anything other than loopback exposes your functions to the network (a warning is printed).
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * Port to listen on; 0 picks a free one (read it from `url`).
   * @default 3001
   */
  readonly port?: number;
  /**
   * Most synchronous invocations running at once across all functions (Lambda's account concurrency); more get
   * `TooManyRequestsException` (Reason `ConcurrentInvocationLimitExceeded`).
   * @default 100
   */
  readonly maxConcurrentInvocations?: number;
  /**
   * Maps the access key id of a caller's SigV4 credentials to the account it stands for, so an SDK client with
   * those credentials calls as that account (`arn:aws:iam::<account>:root`). Other keys call as the function's own account.
   * @default none
   */
  readonly accessKeyAccounts?: { [accessKeyId: string]: string };
  /**
   * Print one line a request (method, function, status, duration) and each access denial's reason to stderr.
   * @default false
   */
  readonly logRequests?: boolean;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const STREAMING_INVOKE_PATH = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations\/?$/;
/** Bodies past this are not read at all: the connection is answered 413 and closed. */
const HARD_BODY_LIMIT = 4 * SYNC_PAYLOAD_LIMIT;

/**
 * A local Lambda Invoke API for the functions of a `LocalTwin`: point an AWS SDK client (`endpoint`) or the AWS
 * CLI (`--endpoint-url`) at `url`. Supports RequestResponse, Event (journaled queue with retries and
 * destinations) and DryRun, InvokeWithResponseStream (event stream), qualifiers, `LogType: Tail`, client context,
 * and resource-based policies.
 */
export class InvokeApiServer {
  /** Starts a server for `twin`'s functions; resolves once it listens. */
  public static async start(twin: LocalTwin, options: InvokeApiServerOptions = {}): Promise<InvokeApiServer> {
    const server = new InvokeApiServer(twin, options);
    await server.listen();
    return server;
  }

  /** The address it listens on. */
  public readonly host: string;

  private readonly http: http.Server;
  private readonly core: TwinCore;
  private running = 0;
  /** Requests being served (any operation), and who waits for the last of them to finish while stopping. */
  private inFlight = 0;
  private drained?: () => void;
  private stopping = false;
  private listeningPort = 0;
  private baseUrl = '';

  private constructor(twin: LocalTwin, private readonly options: InvokeApiServerOptions) {
    this.core = coreOf(twin);
    this.host = options.host ?? '127.0.0.1';
    this.http = http.createServer((req, res) => this.handle(req, res));
    this.http.keepAliveTimeout = 5_000;
    this.http.headersTimeout = 30_000;
    this.http.requestTimeout = 120_000;
    this.http.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Malformed HTTP (bad request line, bad framing, header overflow): answer 400 if the socket still can.
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const body = JSON.stringify({ Type: 'User', Message: `Malformed HTTP request (${err.code ?? 'parse error'}).` });
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: application/json\r\n' +
        `x-amzn-ErrorType: InvalidRequestContentException\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  /** Base URL of the endpoint, e.g. `http://127.0.0.1:3001`: the SDK's `endpoint`, the CLI's `--endpoint-url`. */
  public get url(): string {
    return this.baseUrl;
  }

  /** The port it listens on. */
  public get port(): number {
    return this.listeningPort;
  }

  /** The URL of one function's Invoke operation. */
  public invocationUrl(functionName: string): string {
    return `${this.url}/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
  }

  /** Stops listening and closes open connections at once, also ones still waiting for an invoke (the twin stays up: shut it down yourself). */
  public async close(): Promise<void> {
    if (!this.http.listening) return;
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  /**
   * Stops gracefully: no new connections, requests that arrive on open connections are answered 503, and the
   * invokes already running finish and their responses reach their clients; then every connection is closed.
   * Resolves when the last response went out (the twin stays up: shut it down yourself).
   */
  public async stop(): Promise<void> {
    if (!this.http.listening) return;
    this.stopping = true;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeIdleConnections();
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.http.closeAllConnections();
    await closed;
  }

  private async listen(): Promise<void> {
    if (!isLoopback(this.host)) {
      process.emitWarning(`The Invoke API listens on ${this.host}, not loopback: anyone who can reach this address can run your functions.`,
        { code: 'LAMBDA_TWIN_PUBLIC_BIND' });
    }
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port ?? 3001, this.host, () => {
        this.http.off('error', reject);
        resolve();
      });
    });
    const address = this.http.address() as AddressInfo;
    this.listeningPort = address.port;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    this.baseUrl = `http://${host}:${address.port}`;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const started = Date.now();
    req.on('error', () => undefined); // an aborted upload: nothing to answer
    res.on('error', () => undefined);
    if (this.stopping) {
      // A request on a connection that was open before the stop: refused, and the connection closed after it.
      res.shouldKeepAlive = false;
      void drain(req).then(() => this.sendError(res, serviceUnavailable()));
      return;
    }
    this.inFlight++;
    // The response has gone out (or the client went away): only then does a stop go on.
    res.once('close', () => {
      this.inFlight--;
      if (this.stopping) {
        this.http.closeIdleConnections();
        if (this.inFlight === 0) this.drained?.();
      }
    });
    this.serve(req, res).catch((err) => this.sendError(res, toInvokeApiError(err))).finally(() => {
      if (this.options.logRequests) {
        process.stderr.write(`${new Date().toISOString()} ${req.method} ${safeText(req.url ?? '')} -> ${res.statusCode} (${Date.now() - started} ms)\n`);
      }
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      throw unknownOperation(req.method ?? '?', safeText(req.url ?? ''));
    }
    const streamingMatch = STREAMING_INVOKE_PATH.exec(url.pathname);
    const match = INVOKE_PATH.exec(url.pathname) ?? streamingMatch;
    if (!match) {
      await drain(req);
      throw unknownOperation(req.method ?? '?', safeText(url.pathname));
    }
    if (req.method !== 'POST') {
      await drain(req);
      throw methodNotAllowed(safeText(req.method ?? ''));
    }
    let functionName: string;
    try {
      functionName = decodeURIComponent(match[1]);
    } catch {
      await drain(req);
      throw invalidParameter('FunctionName is not valid percent-encoded text.');
    }
    const body = await readBody(req);
    if (body === 'too-large') {
      if (!req.complete) res.setHeader('Connection', 'close'); // the rest of an oversized upload is not read
      throw requestTooLarge(SYNC_PAYLOAD_LIMIT);
    }
    if (body === 'aborted') return;

    const invocationType = header(req, 'x-amz-invocation-type');
    const logType = header(req, 'x-amz-log-type');
    if (logType !== undefined && logType !== 'None' && logType !== 'Tail') {
      throw invalidParameter(`LogType '${safeText(logType)}' is not valid: use None or Tail.`);
    }
    const clientContext = decodeClientContext(header(req, 'x-amz-client-context'));
    const qualifiers = url.searchParams.getAll('Qualifier');
    if (qualifiers.length > 1) throw invalidParameter('Give Qualifier once.');
    const caller = this.callerOf(req);
    if (streamingMatch) {
      await this.serveStreaming(res, { functionName, qualifier: qualifiers[0], invocationType, payload: body, clientContext, caller, logType });
      return;
    }

    const synchronous = invocationType === undefined || invocationType === 'RequestResponse';
    if (synchronous && this.running >= (this.options.maxConcurrentInvocations ?? 100)) {
      throw tooManyRequests(`Rate Exceeded. (${this.running} invocations are running: the local concurrency limit)`, 'ConcurrentInvocationLimitExceeded');
    }
    if (synchronous) this.running++;
    let outcome;
    try {
      outcome = await this.core.invoke({
        functionName,
        qualifier: qualifiers[0],
        invocationType,
        payload: body,
        clientContext,
        caller,
        apiFunctionName: true,
      }).catch((err) => {
        if (err instanceof InvokeApiError && err.errorType === 'AccessDeniedException' && this.options.logRequests) {
          process.stderr.write(`lambda-twin: access denied: ${err.message}\n`);
        }
        throw err;
      });
    } finally {
      if (synchronous) this.running--;
    }
    const headers: Record<string, string> = {};
    if (outcome.requestId) headers['x-amzn-RequestId'] = outcome.requestId;
    if (outcome.statusCode !== 200) {
      res.writeHead(outcome.statusCode, { ...headers, 'Content-Length': '0' });
      res.end();
      return;
    }
    const result = outcome.result!;
    headers['Content-Type'] = result.contentType;
    headers['X-Amz-Executed-Version'] = result.executedVersion;
    if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
    if (logType === 'Tail') headers['X-Amz-Log-Result'] = Buffer.from(tail4k(result.logs), 'utf8').toString('base64');
    headers['Content-Length'] = String(result.payload.length);
    res.writeHead(200, headers);
    res.end(result.payload);
  }

  /**
   * InvokeWithResponseStream: HTTP 200 with an event stream of `PayloadChunk` events, sent as the function writes,
   * then one `InvokeComplete` (with `ErrorCode`/`ErrorDetails` when the function failed, `LogResult` for Tail).
   * Errors found before the function starts (unknown function, throttling …) are ordinary Invoke API errors.
   */
  private async serveStreaming(res: http.ServerResponse, request: {
    functionName: string;
    qualifier?: string;
    invocationType?: string;
    payload: Buffer;
    clientContext?: string;
    caller: CallerIdentity;
    logType?: string;
  }): Promise<void> {
    const requestId = crypto.randomUUID();
    let executedVersion = '$LATEST';
    const startStream = () => {
      if (res.headersSent) return;
      res.writeHead(200, {
        'Content-Type': EVENT_STREAM_CONTENT_TYPE,
        'X-Amz-Executed-Version': executedVersion,
        'x-amzn-RequestId': requestId,
      });
    };
    const sendChunk = (chunk: Buffer) => {
      startStream();
      if (!res.destroyed) res.write(encodeEvent('PayloadChunk', 'application/octet-stream', chunk));
    };
    if (this.running >= (this.options.maxConcurrentInvocations ?? 100)) {
      throw tooManyRequests(`Rate Exceeded. (${this.running} invocations are running: the local concurrency limit)`, 'ConcurrentInvocationLimitExceeded');
    }
    this.running++;
    let outcome;
    try {
      outcome = await this.core.invoke({
        ...request,
        requestId,
        apiFunctionName: true,
        responseStreaming: true,
        onStart: (version) => (executedVersion = version),
        onResponseChunk: sendChunk,
      });
    } finally {
      this.running--;
    }
    if (outcome.statusCode !== 200) {
      res.writeHead(outcome.statusCode, { 'x-amzn-RequestId': requestId, 'X-Amz-Executed-Version': outcome.executedVersion, 'Content-Length': '0' });
      res.end();
      return;
    }
    const result = outcome.result!;
    // A function that does not stream answers in one piece (Lambda streams a buffered response as one chunk).
    if (!result.streamed && !result.functionError && result.payload.length > 0) sendChunk(result.payload);
    startStream();
    res.end(encodeEvent('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(invokeComplete(result, request.logType === 'Tail')))));
  }

  /** Who calls: the principal headers win; else SigV4 credentials mapped to an account; else the own account. */
  private callerOf(req: http.IncomingMessage): CallerIdentity {
    let principal = header(req, PRINCIPAL_HEADER);
    if (principal === undefined) {
      const accessKey = /Credential=([^/,\s]+)\//.exec(header(req, 'authorization') ?? '')?.[1];
      const account = accessKey ? this.options.accessKeyAccounts?.[accessKey] : undefined;
      if (account) principal = `arn:aws:iam::${account}:root`;
    }
    return {
      principal,
      sourceArn: header(req, SOURCE_ARN_HEADER),
      sourceAccount: header(req, SOURCE_ACCOUNT_HEADER),
      principalOrgId: header(req, PRINCIPAL_ORG_ID_HEADER),
    };
  }

  private sendError(res: http.ServerResponse, error: InvokeApiError): void {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const body = JSON.stringify(error.body());
    res.writeHead(error.statusCode, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      'x-amzn-ErrorType': error.errorType,
      'x-amzn-RequestId': crypto.randomUUID(),
    });
    res.end(body);
  }
}

/** The `InvokeComplete` event: the error's type and message when the function failed, and the log tail if asked. */
function invokeComplete(result: RunnerResult, tail: boolean): { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } {
  const complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } = {};
  if (result.functionError) {
    complete.ErrorCode = result.errorType ?? result.functionError;
    const text = result.payload.toString('utf8');
    let details = text;
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed.errorMessage === 'string') details = parsed.errorMessage;
    } catch {
      // not JSON: the body is the detail
    }
    complete.ErrorDetails = details;
  }
  if (tail) complete.LogResult = Buffer.from(tail4k(result.logs), 'utf8').toString('base64');
  return complete;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The body, or 'too-large' past the sync limit (read to the end so the client gets the answer), or 'aborted'. */
function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | 'too-large' | 'aborted') => {
      if (done) return;
      done = true;
      resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= SYNC_PAYLOAD_LIMIT) chunks.push(chunk);
      else chunks.length = 0;
      if (size > HARD_BODY_LIMIT) {
        req.pause();
        finish('too-large');
      }
    });
    req.on('end', () => finish(size > SYNC_PAYLOAD_LIMIT ? 'too-large' : Buffer.concat(chunks)));
    req.on('aborted', () => finish('aborted'));
    req.on('error', () => finish('aborted'));
    req.on('close', () => finish(req.complete ? (size > SYNC_PAYLOAD_LIMIT ? 'too-large' : Buffer.concat(chunks)) : 'aborted'));
  });
}

function drain(req: http.IncomingMessage): Promise<void> {
  return readBody(req).then(() => undefined);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function safeText(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 120 ? printable.slice(0, 117) + '...' : printable;
}
