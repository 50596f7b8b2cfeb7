// lambda-twin's Node.js runtime client: loads the handler named by _HANDLER (CommonJS or ES module) and serves
// events from the Lambda Runtime API, with the handler styles, context object, error shapes and console format
// of AWS's aws-lambda-nodejs-runtime-interface-client, and response streaming (awslambda.streamifyResponse).
// Node built-ins only; one keep-alive connection, plus one for the responses of a streaming handler.
'use strict';

const fs = require('fs');
const net = require('net');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const [HOST, PORT] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT;
const HANDLER = process.env._HANDLER || '';

// ---- paths users recognise ----------------------------------------------------------------------------------
// The twin runs a copy of the code; `_LAMBDA_TWIN_SOURCE_PATHS` (JSON `[[copy, source], …]`) says where each copy
// came from, so stack traces and logged errors name the user's files. Read once and removed: the function never
// sees it. Frames of this bootstrap are dropped from stacks, as they are not the function's.

const SOURCE_PATHS = readSourcePaths();

function readSourcePaths() {
  const raw = process.env._LAMBDA_TWIN_SOURCE_PATHS;
  delete process.env._LAMBDA_TWIN_SOURCE_PATHS;
  if (!raw) return [];
  try {
    const pairs = JSON.parse(raw).filter((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string' && p[0] && p[1]);
    // Both spellings a stack uses: a plain path (CommonJS) and a file URL (ES modules); longest copy first.
    return pairs.flatMap(([copy, source]) => [
      [pathToFileURL(copy).href + '/', pathToFileURL(source).href + '/'],
      [copy.replace(/\/+$/, '') + '/', source.replace(/\/+$/, '') + '/'],
    ]).sort((a, b) => b[0].length - a[0].length);
  } catch {
    return [];
  }
}

const OWN_FILE = [__filename, pathToFileURL(__filename).href];

/** A stack (or any text with one) as the user should read it: own frames dropped, copies named by their source. */
function forUser(text) {
  if (typeof text !== 'string') return text;
  const lines = text.split('\n').filter((line) => !(/^\s+at /.test(line) && OWN_FILE.some((f) => line.includes(`${f}:`))));
  let out = lines.join('\n');
  for (const [copy, source] of SOURCE_PATHS) out = out.split(copy).join(source);
  return out;
}

// ---- the Runtime API ----------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client over one persistent socket, which halves the per-invoke cost of Node's `http`
// machinery. Requests are pipelined: an invocation's result and the next /next go out back to back, in one write,
// and the answers come back in order (the Runtime API, as RAPID's Go server, serves a connection's
// requests one after another). The socket is unref'd while no answer is awaited, so an empty event loop still
// ends an invocation (callbackWaitsForEmptyEventLoop).

let socket;
/** Requests written and not yet answered, oldest first. */
const awaiting = [];
let received = Buffer.alloc(0);

function connection() {
  if (socket && !socket.destroyed) return socket;
  received = Buffer.alloc(0);
  socket = net.connect({ host: HOST, port: Number(PORT) });
  socket.setNoDelay(true);
  socket.on('data', (chunk) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    while (awaiting.length > 0 && parseResponse());
  });
  const fail = (err) => {
    const pending = awaiting.splice(0);
    socket = undefined;
    for (const p of pending) p.callback(err || new Error('connection closed by the Runtime API'));
  };
  socket.on('error', fail);
  socket.on('close', () => fail());
  return socket;
}

/** Hands the oldest awaited request its answer if the whole answer is in; true when it did. */
function parseResponse() {
  const headerEnd = received.indexOf('\r\n\r\n');
  if (headerEnd < 0) return false;
  const lines = received.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const statusCode = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon > 0) headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
  }
  let body;
  let consumed;
  if (headers['transfer-encoding'] === 'chunked') {
    const chunks = [];
    let at = headerEnd + 4;
    for (;;) {
      const lineEnd = received.indexOf('\r\n', at);
      if (lineEnd < 0) return false;
      const size = parseInt(received.subarray(at, lineEnd).toString('latin1'), 16);
      if (received.length < lineEnd + 2 + size + 2) return false;
      if (size === 0) {
        consumed = lineEnd + 4;
        break;
      }
      chunks.push(received.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(chunks);
  } else {
    const length = Number(headers['content-length'] || 0);
    if (received.length < headerEnd + 4 + length) return false;
    body = received.subarray(headerEnd + 4, headerEnd + 4 + length);
    consumed = headerEnd + 4 + length;
  }
  received = received.subarray(consumed);
  const done = awaiting.shift();
  if (awaiting.length === 0) socket.unref();
  done.callback(null, { statusCode, headers }, Buffer.from(body));
  return true;
}

function request(method, urlPath, body, headers, callback) {
  let head = `${method} /2018-06-01/runtime${urlPath} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n`;
  const all = Object.assign({}, headers);
  if (body !== undefined) all['Content-Length'] = Buffer.byteLength(body);
  for (const [k, v] of Object.entries(all)) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const s = connection();
  s.ref();
  awaiting.push({ callback });
  // With Nagle off every write is a segment of its own: what is written in one tick (a result and the /next behind
  // it, a head and its body) goes out as one.
  s.cork();
  s.write(head);
  if (body !== undefined && body.length > 0) s.write(body);
  process.nextTick(() => s.uncork());
}

/** Posts JSON; `onAnswer` is called once the Runtime API answered. */
function postJson(urlPath, value, extraHeaders, onAnswer) {
  const body = Buffer.from(JSON.stringify(value));
  request('POST', urlPath, body, Object.assign({ 'Content-Type': 'application/json', 'Content-Length': body.length }, extraHeaders), () => onAnswer && onAnswer());
}

// ---- errors, shaped as the real runtime shapes them ---------------------------------------------------------

class RuntimeError extends Error {
  constructor(name, message, stack) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

function isErrorLike(value) {
  return value && typeof value.name === 'string' && typeof value.message === 'string' && typeof value.stack === 'string';
}

/** The body posted to /error: `{errorType, errorMessage, trace}` (Node's runtime says `trace`, not `stackTrace`). */
function toRapidResponse(error) {
  try {
    if (util.types.isNativeError(error) || isErrorLike(error)) {
      return { errorType: error.name, errorMessage: forUser(error.message), trace: forUser(error.stack).split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

/** The console form of an error: a tab, then JSON with its enumerable properties and the stack as lines. */
function toFormatted(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => {
      if (!(value instanceof Error)) return value;
      const formatted = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
      if (typeof value.stack === 'string') formatted.stack = forUser(value.stack).split('\n');
      return formatted;
    });
  } catch {
    return '\t' + JSON.stringify(toRapidResponse(error));
  }
}

// ---- console, as Lambda formats it: <time>\t<request id>\t<LEVEL>\t<message> --------------------------------

let currentRequestId = 'undefined';

function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE', fatal: 'FATAL' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      const message = forUser(method === 'trace' ? util.format(...args) + '\n' + new Error().stack.split('\n').slice(2).join('\n') : util.format(...args));
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
    };
  }
}

// ---- loading the handler, in the real runtime's order ---------------------------------------------------------

function hasTypeModule(folder) {
  // The nearest package.json decides; a node_modules folder or the root ends the search.
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith('/node_modules')) return false;
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module';
      } catch (err) {
        console.warn(`${pkg} cannot be read, it will be ignored for ES module detection purposes.`, err);
        return false;
      }
    }
    if (dir === path.dirname(dir)) return false;
  }
}

function tryRequire(file) {
  return fs.existsSync(file) ? require(file) : undefined;
}

async function tryImport(file) {
  if (!fs.existsSync(file)) return undefined;
  require('./esm-node-path').enableEsmNodePath();
  return import(pathToFileURL(file).href);
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  const extensionless = tryRequire(base);
  if (extensionless) return extensionless;
  const typeModule = hasTypeModule(path.dirname(base));
  if (!typeModule) {
    const cjs = tryRequire(base + '.js');
    if (cjs) return cjs;
  }
  const loaded = (typeModule && (await tryImport(base + '.js'))) || (await tryImport(base + '.mjs')) || tryRequire(base + '.cjs');
  if (loaded) return loaded;
  // Last, Node's own resolution from the task root: NODE_PATH (layers) and node_modules.
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

function resolveIn(object, handlerPath) {
  return handlerPath.split('.').reduce((nested, key) => (nested ? nested[key] : undefined), object);
}

async function loadHandler(appRoot, fullHandler) {
  if (fullHandler.includes('..')) {
    throw new RuntimeError('Runtime.MalformedHandlerName',
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`);
  }
  const handlerString = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(handlerString));
  const match = /^([^.]*)\.(.*)$/.exec(handlerString);
  if (!match) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = match;
  let userModule;
  try {
    userModule = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', String(err), err.stack);
    if (err && err.code === 'MODULE_NOT_FOUND') throw new RuntimeError('Runtime.ImportModuleError', String(err));
    throw err;
  }
  let handler = resolveIn(userModule, handlerPath);
  if (!handler && userModule && typeof userModule === 'object' && 'default' in userModule) {
    // A CommonJS module imported as ESM (or an ESM default export) carries its exports on `default`.
    handler = resolveIn(userModule.default, handlerPath);
  }
  if (!handler) throw new RuntimeError('Runtime.HandlerNotFound', `${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${fullHandler} is not a function`);
  return handler;
}

// ---- response streaming: awslambda.streamifyResponse and HttpResponseStream ---------------------------------------
// A streaming handler gets a writable response stream backed by one chunked POST to /response with
// `Lambda-Runtime-Function-Response-Mode: streaming`; a failure after the first byte travels in the trailers
// `Lambda-Runtime-Function-Error-Type` / `-Error-Body` (base64 JSON), as in AWS's runtime client. The POST goes
// over Node's own HTTP client on a second connection: it alone gives the Writable behaviour (backpressure,
// 'drain', 'finish') that handlers piping into the stream rely on. Loaded only for streaming handlers.

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
/** The JSON prelude of an HTTP integration response ends with 8 NUL bytes. */
const PRELUDE_DELIMITER_BYTES = 8;

const awslambda = {
  streamifyResponse(handler, options) {
    handler[HANDLER_STREAMING] = STREAM_RESPONSE;
    if (options && typeof options.highWaterMark === 'number') handler[HANDLER_HIGH_WATER_MARK] = parseInt(options.highWaterMark, 10);
    return handler;
  },
  HttpResponseStream: class HttpResponseStream {
    /** Marks `stream` as an HTTP integration response: the prelude (status, headers, cookies) goes first. */
    static from(stream, prelude) {
      stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
      const metadata = JSON.stringify(prelude);
      stream._onBeforeFirstWrite = (write) => {
        write(metadata);
        write(new Uint8Array(PRELUDE_DELIMITER_BYTES));
      };
      return stream;
    }
  },
};

/** How the handler wants its response: 'response' for streamifyResponse, false for the buffered way. */
function streamingModeOf(handler) {
  const mode = handler[HANDLER_STREAMING];
  if (mode === undefined || mode === null || mode === false) return false;
  if (mode === STREAM_RESPONSE) return STREAM_RESPONSE;
  throw new RuntimeError('Runtime.MalformedStreamingHandler', 'Only response streaming is supported.');
}

function highWaterMarkOf(handler) {
  const value = parseInt(handler[HANDLER_HIGH_WATER_MARK], 10);
  return Number.isNaN(value) ? undefined : value;
}

let streamingAgent;

/**
 * Opens the streamed response of one invocation. Returns the stream the handler sees (a Writable's surface and
 * `setContentType`, nothing of the HTTP request beneath), `responseDone` (the Runtime API answered the POST), and
 * `fail(err)`, which ends the stream with the error in the trailers and resolves once the Runtime API answered.
 */
function createResponseStream(requestId, highWaterMark) {
  const http = require('http');
  if (!streamingAgent) {
    streamingAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }
  streamingAgent.createConnection = (options, onConnect) => net.createConnection(Object.assign({}, options, { highWaterMark }), onConnect);
  let written = false;
  let answered;
  const responseDone = new Promise((resolve, reject) => (answered = { resolve, reject }));
  responseDone.catch(() => undefined); // a lost connection is reported where it is awaited
  const req = http.request({
    host: HOST,
    port: Number(PORT),
    method: 'POST',
    path: `/2018-06-01/runtime/invocation/${encodeURIComponent(requestId)}/response`,
    agent: streamingAgent,
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Trailer': ['Lambda-Runtime-Function-Error-Type', 'Lambda-Runtime-Function-Error-Body'],
      'Content-Type': 'application/octet-stream',
      'Transfer-Encoding': 'chunked',
    },
  }, (res) => {
    res.resume();
    res.on('end', () => answered.resolve(res.statusCode));
    res.on('aborted', () => answered.reject(new Error('the Runtime API closed the response stream')));
  });
  req.on('error', (err) => {
    answered.reject(err);
    req.destroy(err);
  });
  req.setContentType = (contentType) => {
    if (written) throw new RuntimeError('Runtime.InvalidStreamingOperation', 'Cannot set content-type, too late.');
    req.setHeader('Content-Type', contentType);
  };
  const writeToRequest = req.write.bind(req);
  req.write = (chunk, encoding, callback) => {
    // Anything but bytes or text is sent as its JSON, as the real runtime does.
    const data = typeof chunk === 'string' || Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!written && typeof req._onBeforeFirstWrite === 'function') req._onBeforeFirstWrite((bytes) => writeToRequest(bytes));
    written = true;
    return writeToRequest(data, encoding, callback);
  };

  const stream = {};
  for (const method of ['cork', 'uncork', 'write', 'end', 'destroy', 'setContentType',
    'on', 'once', 'off', 'addListener', 'removeListener', 'removeAllListeners', 'prependListener', 'prependOnceListener',
    'emit', 'listeners', 'rawListeners', 'listenerCount', 'eventNames', 'setMaxListeners', 'getMaxListeners']) {
    stream[method] = req[method].bind(req);
  }
  for (const prop of ['destroyed', 'writable', '_onBeforeFirstWrite']) {
    Object.defineProperty(stream, prop, { get: () => req[prop], set: (value) => (req[prop] = value), enumerable: true });
  }
  for (const prop of ['writableFinished', 'writableEnded', 'writableObjectMode', 'writableNeedDrain', 'writableHighWaterMark',
    'writableCorked', 'writableLength', 'writableBuffer']) {
    Object.defineProperty(stream, prop, { get: () => req[prop], enumerable: true });
  }

  const fail = (err) => {
    const body = toRapidResponse(err);
    if (!req.writableEnded) {
      req.addTrailers({
        'Lambda-Runtime-Function-Error-Type': String(body.errorType).replace(/[^\t\x20-\x7e]/g, '?'),
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(body)).toString('base64'),
      });
      req.end();
    }
    // Wait for the Runtime API's answer, so the next /next never overtakes the end of this response.
    return responseDone.then(() => undefined, () => undefined);
  };
  return { stream, responseDone, fail };
}

// ---- invocations ----------------------------------------------------------------------------------------------

let current; // the invocation in flight: { requestId, completed, onEmptyLoop }

function parseJsonHeader(value) {
  try {
    return value ? JSON.parse(value) : undefined;
  } catch {
    return undefined;
  }
}

// An invocation's result: `then` (asking for the next event) follows at once, pipelined behind the post, which the
// Runtime API answers first.
function postError(requestId, err, then) {
  console.error('Invoke Error', toFormatted(err));
  postJson(`/invocation/${encodeURIComponent(requestId)}/error`, toRapidResponse(err), { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' });
  if (then) then();
}

function postResponse(requestId, result, then) {
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch {
    postError(requestId, new Error('Unable to stringify response body'), then);
    return;
  }
  const buffer = Buffer.from(body === undefined ? 'null' : body);
  request('POST', `/invocation/${encodeURIComponent(requestId)}/response`, buffer,
    { 'Content-Type': 'application/json', 'Content-Length': buffer.length }, () => undefined);
  if (then) then();
}

/** Starts an invocation: its request id in the console format, its X-Ray trace id in the environment. */
function beginInvocation(headers) {
  const requestId = headers['lambda-runtime-aws-request-id'];
  currentRequestId = requestId;
  if (headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;
  const inv = { requestId, completed: false, onEmptyLoop: undefined };
  current = inv;
  return inv;
}

function handleInvocation(handler, isAsync, headers, body) {
  const inv = beginInvocation(headers);
  const requestId = inv.requestId;
  // When the event loop empties and the handler neither called back nor settled: a sync or callback handler
  // succeeds with null; an async one whose promise can never settle fails.
  inv.onEmptyLoop = () => {
    inv.completed = true;
    if (isAsync) {
      postError(requestId, new RuntimeError('Runtime.NodeJsExit',
        'Error: Runtime exited without providing a reason. This is most commonly caused by a Promise that was never settled.'), nextInvocation);
    } else {
      postResponse(requestId, null, nextInvocation);
    }
  };

  let waitForEmptyEventLoop = true;
  const complete = (result) => {
    if (inv.completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    inv.completed = true;
    postResponse(requestId, result, nextInvocation);
  };
  const fail = (err) => postError(requestId, err, nextInvocation);
  let finished = false;
  const firstCallOnly = (fn) => (...args) => {
    if (finished) return;
    finished = true;
    fn(...args);
  };
  const callback = firstCallOnly((err, result) => {
    inv.onEmptyLoop = undefined;
    if (err !== undefined && err !== null) fail(err);
    else if (!waitForEmptyEventLoop) complete(result);
    else inv.onEmptyLoop = () => setImmediate(() => complete(result));
  });
  const done = (err, result) => {
    inv.onEmptyLoop = undefined;
    if (err !== undefined && err !== null) fail(err);
    else complete(result);
  };
  const ctx = withInvokeData({
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
  }, headers);
  const succeed = firstCallOnly((result) => done(null, result));
  const failed = firstCallOnly((err) => done(err === undefined || err === null ? 'handled' : err, null));
  // Node.js 24 managed runtimes no longer give the context succeed/fail/done.
  if (!CALLBACK_HANDLERS_REMOVED) Object.assign(ctx, { succeed, fail: failed, done: firstCallOnly(done) });
  try {
    const result = handler(JSON.parse(body.toString('utf8')), ctx, callback);
    if (result && typeof result.then === 'function') {
      result.then(succeed, failed).catch(failed);
    }
  } catch (err) {
    callback(err);
  }
}

/** Adds what the context object tells about the function and this invoke to `ctx`. */
function withInvokeData(ctx, headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return Object.assign(ctx, {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(headers['lambda-runtime-client-context']),
    identity: parseJsonHeader(headers['lambda-runtime-cognito-identity']),
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
}

/**
 * One invocation of a streaming handler: `handler(event, responseStream, context)` must return a promise. The
 * next event is fetched once the handler settled and the Runtime API has the whole response.
 */
function handleStreamingInvocation(handler, highWaterMark, headers, body) {
  const inv = beginInvocation(headers);
  const requestId = inv.requestId;
  let waitForEmptyEventLoop = true;
  const { stream, responseDone, fail } = createResponseStream(requestId, highWaterMark);
  const scheduleNext = () => {
    if (inv.completed) return;
    inv.completed = true;
    if (!waitForEmptyEventLoop) {
      inv.onEmptyLoop = undefined;
      nextInvocation();
    } else {
      inv.onEmptyLoop = () => setImmediate(nextInvocation);
    }
  };
  const failInvocation = (err) => {
    if (inv.completed) return;
    console.error('Invoke Error', toFormatted(err));
    fail(err).then(scheduleNext);
  };
  const ctx = withInvokeData({
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
  }, headers);
  let result;
  try {
    result = handler(JSON.parse(body.toString('utf8')), stream, ctx);
  } catch (err) {
    failInvocation(err);
    return;
  }
  if (!result || typeof result.then !== 'function') {
    failInvocation('Streaming does not support non-async handlers.');
    return;
  }
  // As in AWS's runtime, the response must be complete once the handler settled: a stream left open (never
  // ended) keeps its connection, so the invoke runs into its timeout.
  Promise.resolve(result).then(async (value) => {
    if (value !== undefined) console.warn('Streaming handlers ignore return values.');
    await responseDone;
    if (!stream.writableFinished) throw 'Response stream is not finished.';
    scheduleNext();
  }).catch(failInvocation);
}

process.on('beforeExit', () => {
  const inv = current;
  if (!inv || !inv.onEmptyLoop) return;
  const onEmptyLoop = inv.onEmptyLoop;
  inv.onEmptyLoop = undefined;
  onEmptyLoop();
});

/** Node.js 24 managed runtimes reject callback handlers at init and drop context.succeed/fail/done. */
const CALLBACK_HANDLERS_REMOVED = Number((/^AWS_Lambda_nodejs(\d+)/.exec(process.env.AWS_EXECUTION_ENV || '') || [])[1]) >= 24;

let loadedHandler;
let handlerIsAsync = false;
let handlerStreaming = false;
let handlerHighWaterMark;

function nextInvocation() {
  request('GET', '/invocation/next', undefined, {}, (err, res, body) => {
    if (err) {
      process.stderr.write(`lambda-twin runtime: lost the Runtime API (${err.message})\n`);
      process.exit(1);
    }
    if (res.statusCode !== 200) {
      process.stderr.write(`lambda-twin runtime: /next answered ${res.statusCode}: ${body}\n`);
      process.exit(1);
    }
    if (handlerStreaming) handleStreamingInvocation(loadedHandler, handlerHighWaterMark, res.headers, body);
    else handleInvocation(loadedHandler, handlerIsAsync, res.headers, body);
  });
}

// ---- process-level failures: post the error, then exit, as the real runtime does -------------------------------

function fatal(err, exitCode) {
  const inv = current;
  const body = toRapidResponse(err);
  if (inv) {
    postJson(`/invocation/${encodeURIComponent(inv.requestId)}/error`, body, { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' }, () => process.exit(exitCode));
  } else {
    postJson('/init/error', body, { 'Lambda-Runtime-Function-Error-Type': String(body.errorType) }, () => process.exit(exitCode));
  }
}

process.on('uncaughtException', (err) => {
  console.error('Uncaught Exception', toFormatted(err));
  fatal(err, 129);
});
process.on('unhandledRejection', (reason, promise) => {
  const err = new RuntimeError('Runtime.UnhandledPromiseRejection', String(reason));
  err.reason = reason;
  err.promise = promise;
  console.error('Unhandled Promise Rejection', toFormatted(err));
  fatal(err, 128);
});

// ---- start --------------------------------------------------------------------------------------------------------

patchConsole();
if (!process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA) globalThis.awslambda = awslambda;
loadHandler(TASK_ROOT, HANDLER).then((handler) => {
  // A malformed streaming mark fails INIT, as the handler's other checks do.
  handlerStreaming = streamingModeOf(handler) === STREAM_RESPONSE;
  handlerHighWaterMark = highWaterMarkOf(handler);
  const isAsync = Boolean(handler.constructor && handler.constructor.name === 'AsyncFunction');
  if (CALLBACK_HANDLERS_REMOVED && !handlerStreaming && !isAsync && handler.length >= 3) {
    throw new RuntimeError('Runtime.CallbackHandlerDeprecated',
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. '
      + 'You need to modify this function to use a supported handler signature to use Node.js 24 or later. '
      + 'For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.');
  }
  return handler;
}).then((handler) => {
  loadedHandler = handler;
  handlerIsAsync = Boolean(handler.constructor && handler.constructor.name === 'AsyncFunction');
  nextInvocation();
}, (err) => {
  console.error('Uncaught Exception', toFormatted(err));
  fatal(err, 129);
});
