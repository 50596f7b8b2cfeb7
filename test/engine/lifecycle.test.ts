// The execution environment's lifecycle and programming model with real processes: warm reuse, freezing
// between invokes, environment variables, context objects, layers, handler styles and concurrency.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, fixtureSpec, TestRunner, runnerFactory, waitFor } from './helpers';
import { TooManyRequestsError } from '../../src/engine/function-runner';

const make = runnerFactory();

/** The scheduler state of a process (`T` when stopped). */
const stateOf = (pid: number): string => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0];

const python = (handler: string, extra: Parameters<typeof fixtureSpec>[0] extends infer T ? Partial<T> : never = {}) =>
  fixtureSpec({ codePath: path.join(FIXTURES, 'python'), runtime: 'python3.11', handler, ...extra });
const node = (handler: string, extra: Partial<Parameters<typeof fixtureSpec>[0]> = {}) =>
  fixtureSpec({ codePath: path.join(FIXTURES, 'node'), runtime: 'nodejs20.x', handler, ...extra });

describe('warm reuse', () => {
  it('keeps module state and /tmp between invokes of one environment', async () => {
    const fn = make(python('faults.handler'));
    const first = await fn.invoke({ fault: 'write_tmp', name: 'note.txt', content: 'first' });
    const second = await fn.invoke({ fault: 'write_tmp', name: 'note.txt', content: 'second' });
    expect(first.body.previous).toBeNull();
    expect(second.body.previous).toBe('first');
    expect(second.coldStart).toBe(false);
    const a = await fn.invoke({ fault: 'ok' });
    const b = await fn.invoke({ fault: 'ok' });
    expect(b.body.calls).toBe(a.body.calls + 1);
    expect(b.body.pid).toBe(a.body.pid);
    expect(b.logStreamName).toBe(a.logStreamName);
  });

  it('keeps /tmp across a reset, as Lambda does, while module state starts over', async () => {
    const fn = make(python('faults.handler', { timeout: 1 }));
    await fn.invoke({ fault: 'write_tmp', name: 'kept.txt', content: 'before the crash' });
    await fn.invoke({ fault: 'exit_process' });
    const after = await fn.invoke({ fault: 'write_tmp', name: 'kept.txt', content: 'after' });
    expect(after.coldStart).toBe(true);
    expect(after.body.previous).toBe('before the crash');
  });

  it('shuts an idle environment down after the idle timeout', async () => {
    const fn = make(python('faults.handler'), { idleTimeoutMs: 100 });
    await fn.invoke({ fault: 'ok' });
    expect(fn.runner.environmentCount).toBe(1);
    await waitFor(() => fn.runner.environmentCount === 0, 'the idle environment to be shut down');
    expect(fn.runner.environmentCount).toBe(0);
    expect(fn.leftovers()).toEqual([]);
    expect((await fn.invoke({ fault: 'ok' })).coldStart).toBe(true);
  });
});

describe('freezing between invokes', () => {
  it('stops a background timer while the environment waits for its next event', async () => {
    // Plain processes here: these tests read the runtime's state through its host pid, which a PID namespace hides.
    const fn = make(node('freeze.timeline', { codePath: path.join(FIXTURES, 'node') }), { isolate: false });
    const first = await fn.invoke();
    expect(first.body.ticks.length).toBeGreaterThan(0); // the timer runs while the environment does
    await waitFor(() => stateOf(first.body.pid) === 'T', 'the runtime to be stopped');
    const frozenAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 400)); // a window to watch, not a wait for timing: ~80 ticks if it ran
    const thawedAt = Date.now();
    const second = await fn.invoke();
    // Not one tick while frozen, whatever the load…
    expect(second.body.ticks.filter((t: number) => t >= frozenAt && t < thawedAt)).toEqual([]);
    // …and a thawed timer does not replay the frozen time: no more ticks than the time since the thaw allows.
    const sinceThaw = second.body.ticks.filter((t: number) => t >= thawedAt);
    expect(sinceThaw.length).toBeLessThanOrEqual(Math.floor((second.body.now - thawedAt) / 5) + 2);
  });

  it('holds the whole process group stopped (state T) between invokes', async () => {
    const fn = make(python('faults.handler'), { isolate: false });
    const { body } = await fn.invoke({ fault: 'ok' });
    // SIGSTOP takes effect when the kernel next schedules the process.
    await waitFor(() => stateOf(body.pid) === 'T', 'the runtime to be stopped');
    expect(stateOf(body.pid)).toBe('T');
  });

  it('ends a warm environment with SIGTERM at shutdown, even while frozen', async () => {
    const fn = new TestRunner(python('faults.handler'), { isolate: false });
    const { body } = await fn.invoke({ fault: 'ok' });
    await fn.close();
    expect(fs.existsSync(`/proc/${body.pid}`)).toBe(false);
    expect(fn.leftovers()).toEqual([]);
  });
});

describe('environment variables', () => {
  const secret = 'LAMBDA_TWIN_TEST_HOST_SECRET';
  beforeAll(() => {
    process.env[secret] = 'do-not-leak';
  });
  afterAll(() => {
    delete process.env[secret];
  });

  it('sets the variables Lambda sets, plus the function\'s own, and nothing from the host', async () => {
    // Plain processes: the paths checked are the host's (isolated, they are Lambda's own: isolation.test.ts).
    const fn = make(python('faults.handler', { functionName: 'env-fn', memorySize: 256, environment: { STAGE: 'test', AWS_REGION: 'eu-west-9' } }), { isolate: false });
    const { body: env } = await fn.invoke({ fault: 'environment' });
    expect(env[secret]).toBeUndefined();
    expect(env).toEqual(expect.objectContaining({
      STAGE: 'test',
      AWS_REGION: 'us-east-1', // reserved: the platform's value wins
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'env-fn',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env-fn',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.11',
      _HANDLER: 'faults.handler',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      _X_AMZN_TRACE_ID: expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/),
    }));
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(env.LAMBDA_TASK_ROOT).toBe(path.join(fn.stateDir, 'code', 'task'));
    expect(env.AWS_ACCESS_KEY_ID).toBeUndefined();
  });

  it('gives Node.js functions their execution env and NODE_PATH with the layer folders', async () => {
    const fn = make(node('faults.handler'));
    const { body: env } = await fn.invoke({ fault: 'environment' });
    expect(env[secret]).toBeUndefined();
    expect(env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_nodejs20.x');
    expect(env.NODE_PATH.split(':')).toEqual(expect.arrayContaining([expect.stringMatching(/opt\/nodejs\/node20\/node_modules$/), expect.stringMatching(/opt\/nodejs\/node_modules$/)]));
  });
});

describe('context objects', () => {
  it('gives Python handlers every context attribute', async () => {
    const fn = make(python('faults.handler', { functionName: 'ctx-fn', timeout: 2 }));
    const result = await fn.invoke({ fault: 'context_fields' }, {
      qualifier: 'live',
      clientContext: JSON.stringify({ custom: { tier: 'gold' }, client: { app_title: 'Demo' } }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }),
    });
    expect(result.body).toEqual({
      function_name: 'ctx-fn',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:123456789012:function:ctx-fn:live',
      memory_limit_in_mb: '128',
      aws_request_id: result.requestId,
      log_group_name: '/aws/lambda/ctx-fn',
      log_stream_name: result.logStreamName,
      cognito_identity_id: 'id-1',
      cognito_identity_pool_id: 'pool-1',
      client_context_custom: { tier: 'gold' },
      client_app_title: 'Demo',
      remaining_ms: expect.any(Number),
      trace_id: expect.stringMatching(/^Root=1-/),
    });
    expect(result.body.remaining_ms).toBeGreaterThan(1000);
    expect(result.body.remaining_ms).toBeLessThanOrEqual(2000);
  });

  it('gives Node.js handlers every context property and getRemainingTimeInMillis()', async () => {
    const fn = make(node('faults.handler', { functionName: 'ctx-node' }));
    const result = await fn.invoke({ fault: 'context' }, {
      clientContext: JSON.stringify({ custom: { a: 1 } }),
      cognitoIdentity: JSON.stringify({ cognitoIdentityId: 'id-2', cognitoIdentityPoolId: 'pool-2' }),
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    expect(result.body).toEqual({
      functionName: 'ctx-node',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ctx-node',
      memoryLimitInMB: '128',
      awsRequestId: result.requestId,
      logGroupName: '/aws/lambda/ctx-node',
      logStreamName: result.logStreamName,
      identity: { cognitoIdentityId: 'id-2', cognitoIdentityPoolId: 'pool-2' },
      clientContext: { custom: { a: 1 } },
      remaining: expect.any(Number),
      callbackWaitsForEmptyEventLoop: true,
      traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    expect(result.body.remaining).toBeGreaterThan(1000);
  });
});

describe('Python results and logs', () => {
  const fn = make(python('faults.handler'));

  it('returns Decimal values as exact JSON numbers and bytes as they are', async () => {
    expect((await fn.invoke({ fault: 'decimals' })).payload.toString()).toBe('{"price": 19.99, "count": 3}');
    const raw = await fn.invoke({ fault: 'raw_bytes' });
    expect(raw.contentType).toBe('application/unknown');
    expect(raw.payload).toEqual(Buffer.from('\x00\x01raw', 'latin1'));
  });

  it('formats logging records as Lambda does, with the request id', async () => {
    const result = await fn.invoke({ fault: 'log_with_logging' });
    expect(result.logs).toMatch(new RegExp(`\\[INFO\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${result.requestId}\\thello from logging\\n`));
    expect(result.logs).toContain('hello from print\n');
  });
});

describe('Node.js handler styles', () => {
  it.each([
    ['faults.callbackStyle', { style: 'callback' }],
    ['faults.contextSucceed', { via: 'succeed' }],
    ['faults.contextDone', 'via done'],
    ['faults.syncNoResult', null],
    ['esm.handler', { esm: true, event: { n: 1 } }],
  ])('%s answers %j', async (handler, expected) => {
    const fn = make(node(handler));
    const result = await fn.invoke({ n: 1 });
    expect(result.functionError).toBeUndefined();
    expect(result.body).toEqual(expected);
  });

  it('loads index.js as an ES module when package.json says "type": "module"', async () => {
    const fn = make(fixtureSpec({ codePath: path.join(FIXTURES, 'node-esm-type'), runtime: 'nodejs20.x', handler: 'index.handler' }));
    expect((await fn.invoke()).body).toEqual({ typeModule: true, sep: '/' });
  });

  it('waits for the event loop to empty before sending a callback result (callbackWaitsForEmptyEventLoop)', async () => {
    const fn = make(node('faults.callbackWaits'));
    const result = await fn.invoke();
    expect(result.body).toEqual({ finishedBeforeCallback: false });
    expect(result.durationMs).toBeGreaterThanOrEqual(95);
  });

  it('sends at once when callbackWaitsForEmptyEventLoop is false, freezing the pending timer', async () => {
    const fn = make(node('faults.callbackNoWait'));
    const result = await fn.invoke();
    expect(result.body).toBe('sent at once');
    expect(result.durationMs).toBeLessThan(1000);
  });

  it.each([
    ['faults.callbackError', 'Error', 'callback error'],
    ['faults.contextFail', 'Error', 'via fail'],
    ['faults.throwString', 'string', 'just a string'],
  ])('%s fails with %s', async (handler, errorType, errorMessage) => {
    const fn = make(node(handler));
    const result = await fn.invoke();
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual(expect.objectContaining({ errorType, errorMessage, trace: expect.any(Array) }));
  });
});

describe('layers', () => {
  it('merges a python/ layer into /opt and puts it on the import path', async () => {
    const fn = make(fixtureSpec({
      codePath: path.join(FIXTURES, 'python-layer-fn'),
      runtime: 'python3.11',
      handler: 'app.handler',
      layers: [{ id: 'Greeting', contentPath: path.join(FIXTURES, 'layers', 'python-layer') }],
    }));
    expect((await fn.invoke({ name: 'Ada' })).body).toBe('hello Ada from the python layer');
  });

  it('merges nodejs/node_modules layers in order, later ones over earlier ones', async () => {
    const layerRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-layer-'));
    const write = (layer: string, text: string) => {
      const dir = path.join(layerRoot, layer, 'nodejs', 'node_modules', 'greeting');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'index.js'), `exports.greet = (name) => \`${text} \${name}\`;\n`);
    };
    write('first', 'hello from the first layer,');
    write('second', 'hello from the node layer,');
    const fn = make(fixtureSpec({
      codePath: path.join(FIXTURES, 'node-layer-fn'),
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      layers: [{ id: 'First', contentPath: path.join(layerRoot, 'first') }, { id: 'Second', contentPath: path.join(layerRoot, 'second') }],
    }));
    expect((await fn.invoke({ name: 'Ada' })).body).toBe('hello from the node layer, Ada');
    fs.rmSync(layerRoot, { recursive: true, force: true });
  });
});

describe('concurrency', () => {
  it('runs parallel invokes in parallel environments, up to the limit', async () => {
    // Plain processes: environments are told apart by host pid (in PID namespaces every runtime has the same one).
    const fn = make(python('faults.handler'), { maxEnvironments: 3, isolate: false });
    const results = await Promise.all([1, 2, 3].map(() => fn.invoke({ fault: 'sleep_then_answer', seconds: 0.4 })));
    expect(new Set(results.map((r) => r.body.pid)).size).toBe(3);
    expect(new Set(results.map((r) => r.logStreamName)).size).toBe(3);
    expect(fn.runner.environmentCount).toBe(3);
    // The three warm environments serve the next burst without a cold start.
    const warm = await Promise.all([1, 2, 3].map(() => fn.invoke({ fault: 'ok' })));
    expect(warm.every((r) => !r.coldStart)).toBe(true);
  });

  it('queues invokes beyond the reserved concurrency, or rejects them when asked not to wait', async () => {
    const fn = make(python('faults.handler', { reservedConcurrency: 1 }), { maxEnvironments: 4 });
    const slow = fn.invoke({ fault: 'sleep_then_answer', seconds: 0.3 });
    await expect(fn.invoke({ fault: 'ok' }, { rejectWhenBusy: true })).rejects.toBeInstanceOf(TooManyRequestsError);
    const queued = fn.invoke({ fault: 'ok' });
    const [first, second] = await Promise.all([slow, queued]);
    expect(second.body.pid).toBe(first.body.pid);
    expect(fn.runner.environmentCount).toBe(1);
  });
});
