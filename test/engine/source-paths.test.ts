// Paths users recognise: given `_LAMBDA_TWIN_SOURCE_PATHS` (where the twin's copy of the code came from), each
// bootstrap names the user's source files in stack traces and logged errors, and hides the variable from the
// function; the Node.js bootstrap drops its own frames from stacks. Real processes of every runtime family.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, fixtureSpec, runnerFactory } from './helpers';
import { sourceFolderOf } from '../../src/engine/environment/environment-variables';
import { FunctionSpec } from '../../src/model/function-spec';

const RUBY_APP = path.join(__dirname, '..', 'fixtures', 'ruby', 'app');
const make = runnerFactory();
const stateDirs: string[] = [];
afterAll(() => stateDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A runner whose task root (`<state>/code/task`) is mapped back to the fixture folder it was copied from. */
function mapped(fields: Partial<FunctionSpec> & { codePath: string; runtime: string; handler: string }) {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-source-paths-'));
  stateDirs.push(stateDir);
  const taskRoot = path.join(stateDir, 'code', 'task');
  const spec = fixtureSpec({ ...fields, environment: { _LAMBDA_TWIN_SOURCE_PATHS: JSON.stringify([[taskRoot, fields.codePath]]) } });
  return { fn: make(spec, { stateDir }), taskRoot };
}

describe('Node.js', () => {
  const codePath = path.join(FIXTURES, 'node');

  it("names the user's file in the error's trace and log, without the bootstrap's frames", async () => {
    const { fn, taskRoot } = mapped({ codePath, runtime: 'nodejs20.x', handler: 'faults.throws' });
    const result = await fn.invoke();
    expect(result.body.trace[0]).toBe('TypeError: the handler failed on purpose');
    expect(result.body.trace[1]).toContain(`${path.join(codePath, 'faults.js')}:`);
    expect(result.body.trace.join('\n')).not.toContain(taskRoot);
    expect(result.body.trace.join('\n')).not.toMatch(/runtimes\/nodejs\/bootstrap\.js/);
    expect(result.logs).toContain(path.join(codePath, 'faults.js'));
    expect(result.logs).not.toContain(taskRoot);
  });

  it('gets the mapping from the engine for code in a folder, and hides the variable from the function', async () => {
    const plain = make(fixtureSpec({ codePath, runtime: 'nodejs20.x', handler: 'faults.throws' }));
    const result = await plain.invoke();
    expect(result.body.trace[1]).toContain(`${path.join(codePath, 'faults.js')}:`);
    expect(result.body.trace.join('\n')).not.toMatch(/runtimes\/nodejs\/bootstrap\.js/);
    const { fn } = mapped({ codePath, runtime: 'nodejs20.x', handler: 'faults.environment' });
    const env = await fn.invoke();
    expect(env.body.AWS_LAMBDA_FUNCTION_NAME).toBe('engine-test-fn');
    expect(env.body._LAMBDA_TWIN_SOURCE_PATHS).toBeUndefined();
  });
});

describe('Python', () => {
  const codePath = path.join(FIXTURES, 'python');

  it("names the user's file in the traceback, in the payload and the log", async () => {
    const { fn, taskRoot } = mapped({ codePath, runtime: 'python3.11', handler: 'faults.throw' });
    const result = await fn.invoke();
    expect(result.body.errorType).toBe('ValueError');
    expect(result.body.stackTrace[0]).toContain(`File "${path.join(codePath, 'faults.py')}", line 17, in throw`);
    expect(result.logs).toContain(path.join(codePath, 'faults.py'));
    expect(result.logs).not.toContain(taskRoot);
    const { fn: envFn } = mapped({ codePath, runtime: 'python3.11', handler: 'faults.environment' });
    expect((await envFn.invoke()).body._LAMBDA_TWIN_SOURCE_PATHS).toBeUndefined();
  });
});

describe('Ruby', () => {
  it("names the user's file in the backtrace", async () => {
    const { fn, taskRoot } = mapped({ codePath: RUBY_APP, runtime: 'ruby3.3', handler: 'app.failure' });
    const result = await fn.invoke({ value: 3 });
    expect(result.body.errorMessage).toBe('bad input: 3');
    expect(result.body.stackTrace[0]).toContain(`${path.join(RUBY_APP, 'app.rb')}:48`);
    expect(JSON.stringify(result.body)).not.toContain(taskRoot);
  });
});

describe('which code is mapped back', () => {
  const spec = (fields: Partial<FunctionSpec>) => fixtureSpec({ codePath: '/src/fn', runtime: 'python3.12', handler: 'app.handler', ...fields });

  it('maps a folder the user keeps, not a zip, a jar, inline code or a CDK asset copy', () => {
    expect(sourceFolderOf(spec({}))).toBe('/src/fn');
    expect(sourceFolderOf(spec({ codePath: '/src/fn.zip' }))).toBeUndefined();
    expect(sourceFolderOf(spec({ codePath: '/src/fn.jar' }))).toBeUndefined();
    expect(sourceFolderOf(spec({ inlineCode: 'def handler(e, c): pass' }))).toBeUndefined();
    expect(sourceFolderOf(spec({ codePath: '/app/cdk.out/asset.0123456789abcdef0123456789abcdef' }))).toBeUndefined();
  });
});
