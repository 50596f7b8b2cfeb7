// The seeds' Java example (`example.Hello::myHandler`, event 123) built with Maven against aws-lambda-java-core
// from Maven Central, run the three ways users run functions: LocalTwin, the `lambda-twin invoke` CLI and the
// Invoke API of `start-lambda`. scripts/test-setup.js builds it (java-fixtures), so no test waits for Maven.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { LambdaFunction, LocalTwin } from '../../src';
import { findJava } from '../../src/engine/runtimes/java';
import { startServerProcess } from '../invoke-api/server-process';
import { describeWithPrepared } from '../prepared';

const root = path.resolve(__dirname, '..', '..');
// The example imports lambda-twin by the name this variable gives; it is put back as it was after the file.
const moduleBefore = process.env.LAMBDA_TWIN_MODULE;
process.env.LAMBDA_TWIN_MODULE = path.join(root, 'src');
afterAll(() => {
  if (moduleBefore === undefined) delete process.env.LAMBDA_TWIN_MODULE;
  else process.env.LAMBDA_TWIN_MODULE = moduleBefore;
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { javaExampleStack } = require('../../examples/app');

describeWithPrepared('java-fixtures', '1', "the seeds' Java example", (dir) => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-java-example-'));
    const app = new App({ outdir });
    javaExampleStack(app, 'JavaExample');
    app.synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('answers "123" through LocalTwin and logs through the LambdaLogger', async () => {
    const twin = LocalTwin.fromAssembly(outdir);
    try {
      const result = await twin.invoke('HelloJava', { event: 123 });
      expect(result.functionError).toBeUndefined();
      expect(result.payload).toBe('123');
      expect(result.logs).toMatch(/^INIT_START Runtime Version: java17\.lambda-twin\.v\d+\t/m);
      expect(result.logs).toMatch(/^received : 123$/m);
      const warm = await twin.invoke('HelloJava', { event: 7 });
      expect(warm.coldStart).toBe(false);
      expect(warm.payload).toBe('7');
    } finally {
      await twin.shutdown();
    }
  }, 60_000);

  it('answers through `lambda-twin invoke`', () => {
    const cli = path.join(root, 'bin', 'lambda-twin');
    if (!fs.existsSync(path.join(root, 'lib', 'cli', 'main.js'))) throw new Error('lib/ is not compiled: run `npx projen compile`');
    const r = spawnSync(process.execPath, [cli, 'invoke', 'HelloJava', '--app', outdir, '--event', '123'], {
      encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' }, timeout: 60_000,
    });
    expect(r.stderr).toMatch(/^received : 123$/m);
    expect(r.stdout).toBe('"123"\n');
    expect(r.status).toBe(0);
  }, 60_000);

  it('answers through the Invoke API of `start-lambda`', async () => {
    const server = await startServerProcess(['--app', outdir]);
    try {
      const response = await fetch(`${server.url}/2015-03-31/functions/HelloJava/invocations`, { method: 'POST', body: '123' });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('"123"');
    } finally {
      server.child.kill('SIGTERM');
      await server.exited();
    }
  }, 60_000);

  it("names the host JDK when it is not the function's Java version (strictRuntimeVersions)", async () => {
    const host = findJava('java21').version;
    const other = host === '21' ? lambda.Runtime.JAVA_17 : lambda.Runtime.JAVA_21;
    const stack = new Stack(new App(), 'JavaMismatch');
    new LambdaFunction(stack, 'Fn', { runtime: other, handler: 'example.Hello::myHandler', code: lambda.Code.fromAsset(path.join(dir, 'hello')) });
    const twin = LocalTwin.fromStack(stack, { strictRuntimeVersions: true });
    try {
      await expect(twin.invoke('Fn', { event: 1 })).rejects.toMatchObject({
        code: 'InvalidRuntimeException',
        message: expect.stringMatching(new RegExp(`uses ${other.name}, but the host's interpreter is java ${host} .*JAVA_HOME or LAMBDA_TWIN_JAVA`)),
      });
    } finally {
      await twin.shutdown();
    }
  });
});
