// Custom runtimes (provided.al2023) against our Runtime API: a plain bash `bootstrap` using curl, and AWS's own
// Node.js runtime client, npm aws-lambda-ric@4.0.2, run unchanged as a bootstrap. If those work, any client does.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, fixtureSpec, runnerFactory } from './helpers';
import { describeWithPrepared } from '../prepared';

/** Built once by scripts/test-setup.js into test/.cache/aws-lambda-ric-<version>: a test tool, not a dependency. */
const RIC_VERSION = '4.0.2';

const make = runnerFactory();

describe('a bash bootstrap using curl', () => {
  const fn = make(fixtureSpec({ codePath: path.join(FIXTURES, 'provided-bash'), runtime: 'provided.al2023', handler: 'function.handler' }));

  it('answers through the Runtime API and stays warm', async () => {
    const first = await fn.invoke({ word: 'hello' });
    expect(first.body).toEqual({ handler: 'function.handler', upper: '{"WORD":"HELLO"}' });
    expect(first.logs).not.toMatch(/INIT_START/); // custom runtimes have no runtime version to report
    const second = await fn.invoke({ word: 'again' });
    expect(second.coldStart).toBe(false);
    expect(second.body.upper).toBe('{"WORD":"AGAIN"}');
  });

  it('passes an error it posts on to the caller, unchanged', async () => {
    const result = await fn.invoke({ please: 'fail' });
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual({ errorMessage: 'asked to fail', errorType: 'Function.BashFailure' });
    expect(result.reset).toBe(false);
  });

  it('fails INIT with Runtime.InvalidEntrypoint when there is no bootstrap', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-nobootstrap-'));
    const missing = make(fixtureSpec({ codePath: empty, runtime: 'provided.al2023', handler: 'x' }));
    const result = await missing.invoke().finally(() => fs.rmSync(empty, { recursive: true, force: true }));
    expect(result.body.errorType).toBe('Runtime.InvalidEntrypoint');
    expect(result.body.errorMessage).toMatch(/^Couldn't find valid bootstrap\(s\): \[\S*\/task\/bootstrap \S*\/opt\/bootstrap\]$/);
    expect(result.logs).toContain('Phase: init\tStatus: error\tError Type: Runtime.InvalidEntrypoint');
  });
});

describeWithPrepared('aws-lambda-ric', RIC_VERSION, `AWS's Node.js runtime client (aws-lambda-ric@${RIC_VERSION}) as a provided bootstrap`, (ricDir) => {
  const ricEntry = path.join(ricDir, 'node_modules', 'aws-lambda-ric', 'index.mjs');
  let codeDir: string | undefined;
  beforeAll(() => {
    codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-ric-'));
    fs.writeFileSync(path.join(codeDir, 'bootstrap'), `#!/bin/sh\nexec "${process.execPath}" "${ricEntry}"\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(codeDir, 'index.mjs'), [
      'export const handler = async (event, context) => ({',
      '  echo: event, requestId: context.awsRequestId, arn: context.invokedFunctionArn,',
      '  remaining: context.getRemainingTimeInMillis(), trace: process.env._X_AMZN_TRACE_ID,',
      '});',
      'export const fails = async () => { throw new TypeError("real client error"); };',
      '',
    ].join('\n'));
  });
  afterAll(() => {
    if (codeDir) fs.rmSync(codeDir, { recursive: true, force: true });
  });

  it('runs a handler end to end: event in, response out, context from our headers', async () => {
    const fn = make(fixtureSpec({ codePath: codeDir!, runtime: 'provided.al2023', handler: 'index.handler', functionName: 'ric-fn' }));
    const result = await fn.invoke({ n: 7 }, { traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' });
    expect(result.functionError).toBeUndefined();
    expect(result.body).toEqual({
      echo: { n: 7 },
      requestId: result.requestId,
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:ric-fn',
      remaining: expect.any(Number),
      trace: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    });
    const warm = await fn.invoke({ n: 8 });
    expect(warm.coldStart).toBe(false);
    expect(warm.body.echo).toEqual({ n: 8 });
  });

  it('posts a thrown error in the same shape our Node.js bootstrap produces', async () => {
    const real = make(fixtureSpec({ codePath: codeDir!, runtime: 'provided.al2023', handler: 'index.fails' }));
    const result = await real.invoke();
    expect(result.functionError).toBe('Unhandled');
    expect(Object.keys(result.body).sort()).toEqual(['errorMessage', 'errorType', 'trace']);
    expect(result.body).toEqual(expect.objectContaining({ errorType: 'TypeError', errorMessage: 'real client error' }));
    const ours = make(fixtureSpec({ codePath: path.join(FIXTURES, 'node'), runtime: 'nodejs20.x', handler: 'faults.throws' }));
    const mine = await ours.invoke();
    expect(Object.keys(mine.body).sort()).toEqual(Object.keys(result.body).sort());
    expect(mine.body.trace[0]).toBe('TypeError: the handler failed on purpose');
    expect(result.body.trace[0]).toBe('TypeError: real client error');
  });

  it('reports a missing handler module through /init/error as Runtime.ImportModuleError', async () => {
    const fn = make(fixtureSpec({ codePath: codeDir!, runtime: 'provided.al2023', handler: 'nowhere.handler' }));
    const result = await fn.invoke();
    expect(result.body.errorType).toBe('Runtime.ImportModuleError');
    expect(result.logs).toContain('Phase: init\tStatus: error\tError Type: Runtime.ImportModuleError');
  });
});
