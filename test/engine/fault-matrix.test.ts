// The fault matrix: every way a function can misbehave, run as real processes. Each fault must give Lambda's
// error shape, reset the environment exactly when Lambda would, leave the next invoke working, and leave no
// process behind.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { faultFixture, FIXTURES, fixtureSpec, runnerFactory, waitFor } from './helpers';

describe('fault matrix: python3.11', () => {
  const { fn, expectRecovery } = faultFixture(fixtureSpec({ codePath: path.join(FIXTURES, 'python'), runtime: 'python3.11', handler: 'faults.handler', timeout: 1 }));
  // A timeout the fault always beats, however loaded the host: the fault, not the deadline, must end the invoke.
  const patient = faultFixture(fixtureSpec({ codePath: path.join(FIXTURES, 'python'), runtime: 'python3.11', handler: 'faults.handler', timeout: 30 }));

  it('answers a thrown exception with its type, message, trace and request id, and keeps the environment', async () => {
    await fn.invoke({ fault: 'ok' });
    const result = await fn.invoke({ fault: 'throw' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual({
      errorMessage: 'the handler failed on purpose',
      errorType: 'ValueError',
      requestId: result.requestId,
      stackTrace: [expect.stringMatching(/faults\.py", line \d+, in handler\n/), expect.stringMatching(/faults\.py", line \d+, in throw\n/)],
    });
    expect(result.reset).toBe(false);
    expect(result.logs).toMatch(/\[ERROR\] ValueError: the handler failed on purpose\nTraceback \(most recent call last\):\n\u00a0\u00a0File/);
    expect(result.logs).not.toMatch(/Status: error/);
    await expectRecovery(false);
  });

  it('reports sys.exit as Runtime.ExitError with the exit status, and resets', async () => {
    const result = await fn.invoke({ fault: 'exit_process' });
    expect(result.body).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 3` });
    expect(result.reset).toBe(true);
    expect(result.logs).toMatch(/REPORT RequestId: .*\tStatus: error\tError Type: Runtime.ExitError/);
    await expectRecovery(true);
  });

  it('reports a segmentation fault as the signal that ended the runtime', async () => {
    const result = await fn.invoke({ fault: 'segfault' });
    expect(result.errorType).toBe('Runtime.ExitError');
    expect(result.body.errorMessage).toBe(`RequestId: ${result.requestId} Error: Runtime exited with error: signal: segmentation fault`);
    await expectRecovery(true);
  });

  it('reports a kill -9 from outside as "signal: killed"', async () => {
    await patient.fn.invoke({ fault: 'ok' });
    const pending = patient.fn.invoke({ fault: 'sleep_then_answer', seconds: 30, announce: true });
    await waitFor(() => patient.fn.logText().includes('sleeping now'), 'the handler to start sleeping');
    const [pgid] = patient.fn.runner.processGroupIds;
    process.kill(-pgid, 'SIGKILL');
    const result = await pending;
    expect(result.body).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed` });
    await patient.expectRecovery(true);
  });

  it('kills the environment at the deadline and answers Sandbox.Timedout', async () => {
    const result = await fn.invoke({ fault: 'hang' });
    expect(result.body).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
    expect(result.timedOut).toBe(true);
    expect(result.logs).toMatch(new RegExp(`Z ${result.requestId} Task timed out after 1.00 seconds`));
    expect(result.logs).toMatch(/\tStatus: timeout/);
    await expectRecovery(true);
  });

  it('kills an environment that goes over its memory size, reporting the full size as used', async () => {
    const result = await patient.fn.invoke({ fault: 'oom' });
    expect(result.body).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: signal: killed` });
    expect(result.outOfMemory).toBe(true);
    expect(result.maxMemoryUsedMb).toBe(128);
    expect(result.logs).toMatch(/Max Memory Used: 128 MB/);
    await patient.expectRecovery(true);
  });

  it('answers Runtime.MarshalError for a result JSON cannot hold, without a reset', async () => {
    const result = await fn.invoke({ fault: 'not_serializable' });
    expect(result.body).toEqual({
      errorMessage: 'Unable to marshal response: Object of type set is not JSON serializable',
      errorType: 'Runtime.MarshalError',
      requestId: result.requestId,
      stackTrace: [],
    });
    expect(result.reset).toBe(false);
    await expectRecovery(false);
  });

  it('returns 10 MB of logs with the invoke, START to REPORT', async () => {
    const result = await fn.invoke({ fault: 'big_logs' });
    expect(result.body).toBe('logged');
    expect(result.logs.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(result.logs).toMatch(/^START RequestId/);
    expect(result.logs).toMatch(/\nREPORT RequestId: [^\n]+\n$/);
    await expectRecovery(false);
  });

  it('rejects a 7 MB response with Function.ResponseSizeTooLarge', async () => {
    const result = await fn.invoke({ fault: 'big_response' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size (7340034 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
    await expectRecovery(true);
  });
});

describe('fault matrix: nodejs20.x', () => {
  const { fn, expectRecovery } = faultFixture(fixtureSpec({ codePath: path.join(FIXTURES, 'node'), runtime: 'nodejs20.x', handler: 'faults.handler', timeout: 1 }));

  it('answers a thrown error as {errorType, errorMessage, trace} and keeps the environment', async () => {
    await fn.invoke({ fault: 'ok' });
    const result = await fn.invoke({ fault: 'throws' });
    expect(result.body.errorType).toBe('TypeError');
    expect(result.body.errorMessage).toBe('the handler failed on purpose');
    expect(result.body.trace[0]).toBe('TypeError: the handler failed on purpose');
    expect(result.body.trace[1]).toMatch(/at exports\.throws .*faults\.js/);
    expect(result.reset).toBe(false);
    expect(result.logs).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"TypeError","errorMessage":"the handler failed on purpose","stack":\["TypeError: /);
    await expectRecovery(false);
  });

  it('reports process.exit as Runtime.ExitError', async () => {
    const result = await fn.invoke({ fault: 'exitProcess' });
    expect(result.body).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${result.requestId} Error: Runtime exited with error: exit status 2` });
    await expectRecovery(true);
  });

  it('answers an unhandled rejection with Runtime.UnhandledPromiseRejection, then resets (the runtime exits 128)', async () => {
    const result = await fn.invoke({ fault: 'unhandledRejection' });
    expect(result.body.errorType).toBe('Runtime.UnhandledPromiseRejection');
    expect(result.body.errorMessage).toBe('Error: nobody caught this');
    expect(result.reset).toBe(true);
    expect(result.logs).toMatch(/Runtime exited with error: exit status 128\nRuntime.ExitError/);
    expect(result.logs).toMatch(/\tStatus: error\tError Type: Runtime.ExitError/);
    await expectRecovery(true);
  });

  it('answers an uncaught exception from a timer with its error, then resets (exit 129)', async () => {
    const result = await fn.invoke({ fault: 'uncaught' });
    expect(result.body.errorType).toBe('RangeError');
    expect(result.body.errorMessage).toBe('thrown from a timer');
    expect(result.logs).toMatch(/\tERROR\tUncaught Exception \t\{"errorType":"RangeError"/);
    expect(result.logs).toMatch(/exit status 129/);
    await expectRecovery(true);
  });

  it('kills the environment at the deadline', async () => {
    const result = await fn.invoke({ fault: 'hang' });
    expect(result.body).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
    await expectRecovery(true);
  });

  it('answers a circular result with "Unable to stringify response body"', async () => {
    const result = await fn.invoke({ fault: 'circular' });
    expect(result.body.errorType).toBe('Error');
    expect(result.body.errorMessage).toBe('Unable to stringify response body');
    expect(result.reset).toBe(false);
    await expectRecovery(false);
  });

  it('rejects a 7 MB response with Function.ResponseSizeTooLarge', async () => {
    const result = await fn.invoke({ fault: 'bigResponse' });
    expect(result.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(result.body.errorMessage).toBe('Response payload size (7340034 bytes) exceeded maximum allowed payload size (6291556 bytes).');
    await expectRecovery(true);
  });
});

describe('fault matrix: a promise that never settles (nodejs20.x)', () => {
  const fn = runnerFactory()(fixtureSpec({ codePath: path.join(FIXTURES, 'node'), runtime: 'nodejs20.x', handler: 'faults.neverSettles' }));

  it('fails with Runtime.NodeJsExit when the event loop empties, and the environment stays warm', async () => {
    const first = await fn.invoke();
    expect(first.body.errorType).toBe('Runtime.NodeJsExit');
    expect(first.body.errorMessage).toMatch(/Promise that was never settled/);
    expect(first.reset).toBe(false);
    const second = await fn.invoke();
    expect(second.coldStart).toBe(false);
    expect(second.body.errorType).toBe('Runtime.NodeJsExit');
  });
});

describe('fault matrix: INIT failures', () => {
  const make = runnerFactory();

  it('reports an exception at import in INIT_REPORT, retries INIT inside the invoke, and fails with the init error', async () => {
    const fn = make(fixtureSpec({ codePath: path.join(FIXTURES, 'python-init-error'), runtime: 'python3.11', handler: 'app.handler' }));
    const result = await fn.invoke();
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual({
      errorMessage: 'cannot start: the configuration is missing',
      errorType: 'RuntimeError',
      requestId: '',
      stackTrace: [expect.stringMatching(/app\.py", line 2, in <module>/)],
    });
    const lines = result.logs.split('\n');
    const initReports = lines.filter((l) => l.startsWith('INIT_REPORT'));
    expect(initReports).toEqual([
      expect.stringMatching(/^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.Unknown$/),
      expect.stringMatching(/^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: invoke\tStatus: error\tError Type: Runtime.Unknown$/),
    ]);
    expect(lines.findIndex((l) => l.startsWith('START'))).toBeGreaterThan(lines.indexOf(initReports[1]));
    expect(result.logs).toMatch(/REPORT RequestId: .*\tStatus: error\tError Type: Runtime.Unknown/);
    expect(fn.leftovers()).toEqual([]);
    // Lambda does not keep a failed environment: the next invoke runs INIT again, and fails again.
    const again = await fn.invoke();
    expect(again.coldStart).toBe(true);
    expect(again.body.errorMessage).toBe('cannot start: the configuration is missing');
  });

  it('times INIT out, retries it with the function timeout, answers Sandbox.Timedout, and starts cleanly once fixed', async () => {
    const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lt-hang-')), 'hang');
    fs.writeFileSync(marker, '');
    const fn = make(fixtureSpec({
      codePath: path.join(FIXTURES, 'python-init-hang'),
      runtime: 'python3.11',
      handler: 'app.handler',
      timeout: 1,
      environment: { HANG_WHILE: marker },
    }), { initBudgetMs: 800, isolate: false }); // plain: the marker is in the host's /tmp, which an isolated environment does not see
    const result = await fn.invoke();
    expect(result.body).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${result.requestId} Error: Task timed out after 1.00 seconds` });
    expect(result.logs).toMatch(/INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: timeout\n/);
    expect(result.logs).toMatch(/INIT_REPORT Init Duration: [\d.]+ ms\tPhase: invoke\tStatus: timeout\n/);
    expect(fn.leftovers()).toEqual([]);
    fs.rmSync(path.dirname(marker), { recursive: true, force: true });
    const next = await fn.invoke();
    expect(next.body).toBe('started');
    expect(next.coldStart).toBe(true);
  });

  it.each([
    ['python3.11', 'python-syntax', 'app.handler', 'Runtime.UserCodeSyntaxError', /^Syntax error in module 'app': expected ':' \(app\.py, line 1\)$/],
    ['python3.11', 'python', 'missing_module.handler', 'Runtime.ImportModuleError', /^Unable to import module 'missing_module': No module named 'missing_module'$/],
    ['python3.11', 'python', 'faults.no_such_handler', 'Runtime.HandlerNotFound', /^Handler 'no_such_handler' missing on module 'faults'$/],
    ['python3.11', 'python', 'nodot', 'Runtime.MalformedHandlerName', /^Bad handler 'nodot': not enough values to unpack \(expected 2, got 1\)$/],
    ['nodejs20.x', 'node-syntax', 'index.handler', 'Runtime.UserCodeSyntaxError', /^SyntaxError: Unexpected token ';'$/],
    ['nodejs20.x', 'node', 'missing.handler', 'Runtime.ImportModuleError', /^Error: Cannot find module 'missing'\nRequire stack:\n- /],
    ['nodejs20.x', 'node', 'faults.noSuchHandler', 'Runtime.HandlerNotFound', /^faults\.noSuchHandler is undefined or not exported$/],
    ['nodejs20.x', 'node', 'faults.notAFunction', 'Runtime.HandlerNotFound', /^faults\.notAFunction is not a function$/],
    ['nodejs20.x', 'node', 'nodot', 'Runtime.MalformedHandlerName', /^Bad handler$/],
    ['nodejs20.x', 'node', '../faults.handler', 'Runtime.MalformedHandlerName', /^'\.\.\/faults\.handler' is not a valid handler name\. Use absolute paths/],
  ])('%s %s with handler %s fails INIT with %s', async (runtime, dir, handler, errorType, message) => {
    const fn = make(fixtureSpec({ codePath: path.join(FIXTURES, dir), runtime, handler }));
    const result = await fn.invoke();
    expect(result.errorType).toBe(errorType);
    expect(result.body.errorType).toBe(errorType);
    expect(result.body.errorMessage).toMatch(message);
    if (runtime.startsWith('python')) {
      expect(result.body).toEqual(expect.objectContaining({ requestId: '', stackTrace: expect.any(Array) }));
    } else {
      expect(result.body.trace).toEqual(expect.any(Array));
    }
    expect(result.logs).toContain(`Phase: init\tStatus: error\tError Type: ${errorType}`);
    expect(fn.leftovers()).toEqual([]);
  });
});
