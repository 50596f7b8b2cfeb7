// lambda-twin's Node.js runtime client: loads the handler named by _HANDLER (CommonJS or ES module) and serves
// events from the Lambda Runtime API, with the handler styles, context object, error shapes and console format
// of AWS's aws-lambda-nodejs-runtime-interface-client. Node built-ins only; one keep-alive connection.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const [HOST, PORT] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const AGENT = new http.Agent({ keepAlive: true, maxSockets: 1 });
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT;
const HANDLER = process.env._HANDLER || '';

// ---- the Runtime API ----------------------------------------------------------------------------------------

function request(method, urlPath, body, headers, callback) {
  const req = http.request({ host: HOST, port: PORT, method, path: '/2018-06-01/runtime' + urlPath, agent: AGENT, headers }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => callback(null, res, Buffer.concat(chunks)));
  });
  req.on('error', (err) => callback(err));
  req.end(body);
}

function postJson(urlPath, value, extraHeaders, then) {
  const body = Buffer.from(JSON.stringify(value));
  request('POST', urlPath, body, Object.assign({ 'Content-Type': 'application/json', 'Content-Length': body.length }, extraHeaders), () => then && then());
}

// ---- errors, shaped as the real runtime shapes them ---------------------------------------------------------

class ExtendedError extends Error {
  constructor(name, message, cause) {
    super(message);
    this.name = name;
    if (cause && cause.stack) this.stack = `${name}: ${message}\n${String(cause.stack).split('\n').slice(1).join('\n')}`;
  }
}

function toRapidResponse(error) {
  try {
    if (error instanceof Error || (error && typeof error === 'object' && 'message' in error && 'name' in error)) {
      return {
        errorType: error.name,
        errorMessage: error.message,
        trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack' };
  }
}

function toFormatted(error) {
  const r = toRapidResponse(error);
  return JSON.stringify({ errorType: r.errorType, errorMessage: r.errorMessage, stack: r.trace });
}

// ---- console, as Lambda formats it: <time>\t<request id>\t<LEVEL>\t<message> --------------------------------

let currentRequestId = 'undefined';

function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE', fatal: 'FATAL' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      const message = method === 'trace' ? util.format(...args) + '\n' + new Error().stack.split('\n').slice(2).join('\n') : util.format(...args);
      process.stdout.write(`${new Date().toISOString()}\t${currentRequestId}\t${level}\t${message}\n`);
    };
  }
}

// ---- loading the handler --------------------------------------------------------------------------------------

function moduleIsEsm(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  let dir = path.dirname(file);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        return JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return false;
    dir = parent;
  }
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  if (fs.existsSync(base) && fs.statSync(base).isFile()) return require(base);
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = base + ext;
    if (fs.existsSync(file)) {
      if (moduleIsEsm(file)) return import(pathToFileURL(file).href);
      try {
        return require(file);
      } catch (err) {
        if (err && err.code === 'ERR_REQUIRE_ESM') return import(pathToFileURL(file).href);
        throw err;
      }
    }
  }
  const resolved = require.resolve(moduleName, { paths: [appRoot, path.join(appRoot, moduleRoot)] });
  return require(resolved);
}

async function loadHandler(appRoot, handlerString) {
  if (handlerString.includes('..')) {
    throw new ExtendedError('Runtime.MalformedHandlerName', "'..' is not allowed in handler name");
  }
  const dirEnd = handlerString.lastIndexOf('/') + 1;
  const moduleRoot = handlerString.slice(0, dirEnd);
  const moduleAndHandler = handlerString.slice(dirEnd);
  const dot = moduleAndHandler.indexOf('.');
  if (dot <= 0 || dot === moduleAndHandler.length - 1) {
    throw new ExtendedError('Runtime.MalformedHandlerName', 'Bad handler');
  }
  const moduleName = moduleAndHandler.slice(0, dot);
  const handlerPath = moduleAndHandler.slice(dot + 1);
  let userModule;
  try {
    userModule = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (err) {
    if (err instanceof SyntaxError) throw new ExtendedError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`, err);
    if (err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND')) {
      throw new ExtendedError('Runtime.ImportModuleError', `Error: ${err.message}`, err);
    }
    throw err;
  }
  let handler = userModule;
  for (const part of handlerPath.split('.')) {
    handler = handler == null ? undefined : handler[part];
  }
  if (handler === undefined && userModule && userModule.default && typeof userModule.default === 'object') {
    // An ES module imported through CommonJS interop exposes named exports on `default` too.
    handler = handlerPath.split('.').reduce((h, p) => (h == null ? undefined : h[p]), userModule.default);
  }
  if (handler === undefined) {
    throw new ExtendedError('Runtime.HandlerNotFound', `${moduleName}.${handlerPath} is undefined or not exported`);
  }
  if (typeof handler !== 'function') {
    throw new ExtendedError('Runtime.HandlerNotFound', `${moduleName}.${handlerPath} is not a function`);
  }
  return handler;
}

// ---- invocations ----------------------------------------------------------------------------------------------

let invocation; // the invocation in flight: { requestId, done(kind, value), settled, waitsForEmptyLoop, result }

function context(headers, inv) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const parse = (h) => {
    try {
      return h ? JSON.parse(h) : undefined;
    } catch {
      return undefined;
    }
  };
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parse(headers['lambda-runtime-client-context']),
    identity: parse(headers['lambda-runtime-cognito-identity']),
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: (err, result) => inv.complete(err, result, 'context'),
    succeed: (result) => inv.complete(null, result, 'context'),
    fail: (err) => inv.complete(err === undefined || err === null ? 'handled' : err, undefined, 'context'),
  };
  return ctx;
}

function postResult(requestId, err, result) {
  if (err !== null && err !== undefined) {
    const body = toRapidResponse(err);
    console.error('Invoke Error', toFormatted(err));
    postJson(`/invocation/${requestId}/error`, body, { 'Lambda-Runtime-Function-Error-Type': String(body.errorType) }, nextInvocation);
    return;
  }
  let body;
  try {
    body = JSON.stringify(result === undefined ? null : result);
  } catch {
    postResult(requestId, new Error('Unable to stringify response body'));
    return;
  }
  const buffer = Buffer.from(body === undefined ? 'null' : body);
  request('POST', `/invocation/${requestId}/response`, buffer, { 'Content-Type': 'application/json', 'Content-Length': buffer.length }, nextInvocation);
}

function handleInvocation(handler, headers, body) {
  const requestId = headers['lambda-runtime-aws-request-id'];
  currentRequestId = requestId;
  if (headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = headers['lambda-runtime-trace-id'];
  else delete process.env._X_AMZN_TRACE_ID;

  const inv = {
    requestId,
    settled: false,
    pending: undefined, // a callback result waiting for the event loop to drain
    complete(err, result, via) {
      if (inv.settled || inv.pending) {
        console.warn('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
        return;
      }
      if (via === 'callback' && ctx.callbackWaitsForEmptyEventLoop) {
        inv.pending = { err, result };
        return; // sent from the beforeExit hook, once the event loop is empty
      }
      inv.settled = true;
      postResult(requestId, err, result);
    },
  };
  invocation = inv;
  const ctx = context(headers, inv);
  let event;
  try {
    event = JSON.parse(body.toString('utf8'));
  } catch (err) {
    inv.complete(new ExtendedError('Runtime.UnmarshalError', `Unable to unmarshal input: ${err.message}`), undefined, 'direct');
    return;
  }
  try {
    const callback = (err, result) => inv.complete(err, result, 'callback');
    const result = handler(event, ctx, callback);
    if (result && typeof result.then === 'function') {
      inv.async = true;
      result.then((value) => inv.complete(null, value, 'promise'), (err) => inv.complete(err === undefined ? new Error('undefined') : err, undefined, 'promise'));
    }
  } catch (err) {
    inv.complete(err, undefined, 'direct');
  }
}

// When the event loop drains during an invocation: send a callback's result, a sync handler's null, or report
// an async handler whose promise can never settle.
process.on('beforeExit', () => {
  const inv = invocation;
  if (!inv || inv.settled) return;
  if (inv.pending) {
    inv.settled = true;
    postResult(inv.requestId, inv.pending.err, inv.pending.result);
  } else if (inv.async) {
    inv.settled = true;
    const err = new ExtendedError('Runtime.NodeJsExit', 'Error: Runtime exited without providing a reason. This is most commonly caused by a Promise that was never settled.');
    postResult(inv.requestId, err);
  } else {
    inv.settled = true;
    postResult(inv.requestId, null, null);
  }
});

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
    handleInvocation(loadedHandler, res.headers, body);
  });
}

// ---- process-level failures: post the error, then exit, as the real runtime does -------------------------------

function fatal(err, exitCode, errorName) {
  const inv = invocation;
  console.error(errorName, toFormatted(err));
  if (inv && !inv.settled) {
    inv.settled = true;
    const body = toRapidResponse(err);
    postJson(`/invocation/${inv.requestId}/error`, body, { 'Lambda-Runtime-Function-Error-Type': String(body.errorType) }, () => process.exit(exitCode));
  } else if (!inv) {
    const body = toRapidResponse(err);
    postJson('/init/error', body, { 'Lambda-Runtime-Function-Error-Type': String(body.errorType) }, () => process.exit(exitCode));
  } else {
    process.exit(exitCode);
  }
}

process.on('uncaughtException', (err) => fatal(err, 129, 'Uncaught Exception'));
process.on('unhandledRejection', (reason, promise) => {
  const err = new ExtendedError('Runtime.UnhandledPromiseRejection', `${reason && reason.name ? reason.name + ': ' + reason.message : String(reason)}`, reason instanceof Error ? reason : undefined);
  err.reason = reason;
  err.promise = promise;
  fatal(err, 128, 'Unhandled Promise Rejection');
});

// ---- start --------------------------------------------------------------------------------------------------------

let loadedHandler;
patchConsole();
globalThis.awslambda = globalThis.awslambda || {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: { from: (stream) => stream },
};
loadHandler(TASK_ROOT, HANDLER).then((handler) => {
  loadedHandler = handler;
  nextInvocation();
}, (err) => fatal(err, 129, 'Uncaught Exception'));
