// The Invoke API driven by the real AWS CLI v2 (`aws lambda invoke --endpoint-url …`), as a user would.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { FIXTURE_TEMPLATE } from './helpers';
import { InvokeApiServer, LocalTwin } from '../../src';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';
describe('the Invoke API through the AWS CLI', () => {
  let twin: LocalTwin;
  let server: InvokeApiServer;
  let dir: string;
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_MAX_ATTEMPTS: '1',
  };
  const aws = async (...args: string[]) => {
    try {
      const { stdout } = await run(AWS, ['lambda', 'invoke', '--endpoint-url', server.url, '--cli-binary-format', 'raw-in-base64-out', ...args], { env });
      return { code: 0, stdout, stderr: '' };
    } catch (e: any) {
      return { code: e.code as number, stdout: String(e.stdout), stderr: String(e.stderr) };
    }
  };

  beforeAll(async () => {
    if (!fs.existsSync(AWS)) {
      throw new Error(`The AWS CLI v2 is not at ${AWS}: install it with \`apt-get install -y awscli\` (.ci/run does)`);
    }
    twin = LocalTwin.fromTemplate(FIXTURE_TEMPLATE);
    server = await InvokeApiServer.start(twin, { port: 0 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-cli-'));
  });
  afterAll(async () => {
    await server?.close();
    await twin?.shutdown();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('invokes synchronously and writes the response to the outfile', async () => {
    const out = path.join(dir, 'out.json');
    const r = await aws('--function-name', 'echo', '--payload', '{"from":"cli"}', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).event).toEqual({ from: 'cli' });
  });

  it('shows FunctionError and the log tail', async () => {
    const out = path.join(dir, 'err.json');
    const r = await aws('--function-name', 'failing', '--log-type', 'Tail', '--payload', '{}', out);
    const parsed = JSON.parse(r.stdout);
    expect(parsed).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST' });
    expect(Buffer.from(parsed.LogResult, 'base64').toString('utf8')).toMatch(/REPORT RequestId: /);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).errorMessage).toBe('failing on purpose: {}');
  });

  it('runs an alias through --qualifier', async () => {
    const r = await aws('--function-name', 'echo', '--qualifier', 'live', path.join(dir, 'alias.json'));
    expect(JSON.parse(r.stdout)).toEqual({ StatusCode: 200, ExecutedVersion: '1' });
  });

  it('queues Event invokes (202) and checks DryRun (204)', async () => {
    expect(JSON.parse((await aws('--function-name', 'echo', '--invocation-type', 'Event', path.join(dir, 'e.json'))).stdout)).toEqual({ StatusCode: 202 });
    expect(JSON.parse((await aws('--function-name', 'echo', '--invocation-type', 'DryRun', path.join(dir, 'd.json'))).stdout)).toEqual({ StatusCode: 204 });
    await twin.settleEvents();
  });

  it('reports the service exceptions by name', async () => {
    const missing = await aws('--function-name', 'nope', path.join(dir, 'x.json'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/\(ResourceNotFoundException\) when calling the Invoke operation.*: Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope\./);
    const bad = await aws('--function-name', 'echo', '--payload', '{oops', path.join(dir, 'x.json'));
    expect(bad.stderr).toMatch(/\(InvalidRequestContentException\) when calling the Invoke operation/);
  });
});
