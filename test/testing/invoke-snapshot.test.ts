// Snapshots of templates and invokes change with behaviour, not with asset hashes, request ids or host paths.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { LocalTwin, Snapshot } from '../../src';
import { invokeSnapshot } from '../../src/testing/invoke-snapshot';

describe('invokeSnapshot', () => {
  const requestId = '8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f';
  const taskFile = '/tmp/lambda-twin-4nwKHL/Stack-Fn-e565f1eb-0a2ea9/code/task/index.js';
  const failed = {
    payload: {
      errorType: 'Error',
      errorMessage: 'boom',
      trace: ['Error: boom', `    at exports.handler (${taskFile}:3:9)`, '    at handleInvocation (/usr/lib/node_modules/lambda-twin/runtimes/nodejs/bootstrap.js:250:20)', '    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)'],
    },
    functionError: 'Unhandled',
    errorType: 'Error',
    executedVersion: '$LATEST',
    timedOut: false,
    reset: false,
    logs: [
      'INIT_START Runtime Version: nodejs22.lambda-twin.v20\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:lambda-twin-nodejs22.x',
      `START RequestId: ${requestId} Version: $LATEST`,
      `2026-11-23T17:13:52.011Z\t${requestId}\tINFO\tloading ${taskFile}`,
      `2026-11-23T17:13:52.012Z\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify({ errorType: 'Error', errorMessage: 'boom', stack: ['Error: boom', `    at exports.handler (${taskFile}:3:9)`, '    at node:internal/x:1:1'] })}`,
      `END RequestId: ${requestId}`,
      `REPORT RequestId: ${requestId}\tDuration: 18.20 ms\tBilled Duration: 175 ms\tMemory Size: 256 MB\tMax Memory Used: 41 MB\tInit Duration: 156.73 ms`,
      '',
    ].join('\n'),
  };

  it('keeps the behaviour: payload, error, version, timeout and reset, and the function\'s own lines', () => {
    expect(invokeSnapshot(failed)).toEqual({
      payload: { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at exports.handler (/var/task/index.js:3:9)'] },
      functionError: 'Unhandled',
      errorType: 'Error',
      executedVersion: '$LATEST',
      timedOut: false,
      reset: false,
      logs: [
        '[TIMESTAMP]\t[REQUEST ID]\tINFO\tloading /var/task/index.js',
        `[TIMESTAMP]\t[REQUEST ID]\tERROR\tInvoke Error \t${JSON.stringify({ errorType: 'Error', errorMessage: 'boom', stack: ['Error: boom', '    at exports.handler (/var/task/index.js:3:9)'] })}`,
      ],
    });
  });

  it('writes Python frames and layer paths as Lambda shows them', () => {
    const python = invokeSnapshot({
      ...failed,
      payload: { errorType: 'KeyError', stackTrace: ['  File "/srv/state/Fn-1/code/task/app.py", line 3, in handler\n', '  File "/srv/state/Fn-1/code/opt/python/lib.py", line 9, in f\n'] },
      logs: '',
    });
    expect(python.payload.stackTrace).toEqual(['  File "/var/task/app.py", line 3, in handler\n', '  File "/opt/python/lib.py", line 9, in f\n']);
    expect(python.logs).toEqual([]);
  });
});

describe('snapshots of a function whose asset changes', () => {
  const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-snapshot-kit-'));
  afterAll(() => fs.rmSync(codeDir, { recursive: true, force: true }));

  /** Writes the handler, synthesizes a fresh app, invokes it once and returns the raw and masked views. */
  async function snapshotOf(source: string, memorySize = 128): Promise<{ template: any; masked: any; invoke: any }> {
    fs.writeFileSync(path.join(codeDir, 'index.js'), source);
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-snapshot-out-')) });
    const stack = new Stack(app, 'SnapshotKit');
    new lambda.Function(stack, 'Greeter', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(codeDir),
      memorySize,
      functionName: 'snapshot-kit-greeter',
    });
    const twin = LocalTwin.fromStack(stack);
    try {
      const result = await twin.invoke('Greeter', { event: { name: 'Ana' } });
      const template = app.synth().getStackArtifact(stack.artifactId).template;
      return { template, masked: Snapshot.ofStack(stack), invoke: Snapshot.ofInvoke(result) };
    } finally {
      await twin.shutdown();
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  }

  const greeter = (greeting: string, comment = '') => `${comment}exports.handler = async (event) => {
  console.log('greeting', event.name);
  return { message: '${greeting} ' + event.name };
};
`;

  let original: { template: any; masked: any; invoke: any };
  beforeAll(async () => {
    original = await snapshotOf(greeter('Hello'));
  });

  it('stay the same when only the asset content changes (a comment)', async () => {
    const commented = await snapshotOf(greeter('Hello', '// greets by name\n'));
    expect(JSON.stringify(commented.template)).not.toEqual(JSON.stringify(original.template));
    expect(commented.masked).toEqual(original.masked);
    expect(commented.invoke).toEqual(original.invoke);
  });

  it('change when the function answers differently', async () => {
    const changed = await snapshotOf(greeter('Hi'));
    expect(changed.invoke).not.toEqual(original.invoke);
    expect(changed.invoke.payload).toEqual({ message: 'Hi Ana' });
    expect(original.invoke.payload).toEqual({ message: 'Hello Ana' });
    expect(changed.invoke.logs).toEqual(original.invoke.logs);
  });

  it('change when the configuration changes', async () => {
    const bigger = await snapshotOf(greeter('Hello'), 512);
    expect(bigger.masked).not.toEqual(original.masked);
    expect(JSON.stringify(bigger.masked)).toContain('"MemorySize":512');
    expect(bigger.invoke).toEqual(original.invoke);
  });

  it('write the invoke the same way on every run', () => {
    expect(original.invoke).toEqual({
      payload: { message: 'Hello Ana' },
      executedVersion: '$LATEST',
      timedOut: false,
      reset: false,
      logs: ['[TIMESTAMP]\t[REQUEST ID]\tINFO\tgreeting Ana'],
    });
  });
});
