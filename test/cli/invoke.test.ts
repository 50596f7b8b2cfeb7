// The `lambda-twin invoke` command as users run it: the compiled CLI (bin/lambda-twin) against a synthesized
// cloud assembly. Needs lib/ (`npm test` compiles first).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { isolationSupport } from '../../src/engine/environment/isolation';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'lambda-twin');
const savedModule = process.env.LAMBDA_TWIN_MODULE;
process.env.LAMBDA_TWIN_MODULE = path.join(root, 'src');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exampleStack } = require('../../examples/app');
afterAll(() => {
  if (savedModule === undefined) delete process.env.LAMBDA_TWIN_MODULE;
  else process.env.LAMBDA_TWIN_MODULE = savedModule;
});

function lambdaTwin(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('lambda-twin invoke', () => {
  let outdir: string;

  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'lib', 'cli', 'main.js'))) {
      throw new Error('lib/ is not compiled: run `npx projen compile` (or `npm test`, which compiles first)');
    }
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-cli-'));
    const app = new App({ outdir });
    exampleStack(app, 'CliTest');
    app.synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('prints the response on stdout and the logs with START/END/REPORT on stderr', () => {
    const r = lambdaTwin(['invoke', 'Hello', '--app', outdir, '--event', '{"first_name":"John","last_name":"Smith"}']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('{"message":"Hello John Smith!"}\n');
    expect(r.stderr).toMatch(/^START RequestId: \S+ Version: \$LATEST$/m);
    expect(r.stderr).toMatch(/^END RequestId: \S+$/m);
    expect(r.stderr).toMatch(/^REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/m);
  });

  it('reads the event from standard input with -e -', () => {
    const r = lambdaTwin(['invoke', 'Calculator', '--app', outdir, '-e', '-', '--no-logs'], '{"action":"square","number":12}');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('144');
    expect(r.stderr).not.toMatch(/START RequestId/);
  });

  it('exits 1 and prints the error payload when the function fails', () => {
    const r = lambdaTwin(['invoke', 'NotJson', '--app', outdir]);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ errorType: 'Runtime.MarshalError' });
  });

  it('exits 2 with a clear message for an event that is not JSON', () => {
    const r = lambdaTwin(['invoke', 'Hello', '--app', outdir, '--event', '{first_name:']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^lambda-twin: The event from --event is not valid JSON/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 naming the functions there are when the function does not exist', () => {
    const r = lambdaTwin(['invoke', 'Helo', '--app', outdir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Function not found: arn:aws:lambda:[a-z0-9-]+:\d{12}:function:Helo\. Functions in this app: .*Hello/);
  });

  it('exits 2 saying to run cdk synth when there is no cloud assembly', () => {
    const r = lambdaTwin(['invoke', 'Hello', '--app', path.join(outdir, 'missing')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/No cloud assembly at .*missing.*cdk synth/);
  });

  it('prints no colour escapes when its output is not a terminal', () => {
    const r = lambdaTwin(['invoke', 'Hello', '--app', outdir, '--event', '{"first_name":"A","last_name":"B"}']);
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(/\x1b\[/);
  });
});

describe('lambda-twin exit codes for usage errors', () => {
  it('exits 2 for an option it does not know and for a missing argument, with the parser\'s message', () => {
    const unknown = lambdaTwin(['invoke', 'Hello', '--no-such-flag']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--no-such-flag'/);
    const missing = lambdaTwin(['invoke']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'function'/);
    expect(lambdaTwin(['no-such-command']).status).toBe(2);
    expect(lambdaTwin(['generate-event', 'no-such-service']).status).toBe(2);
  });

  it('exits 0 for --help and --version', () => {
    expect(lambdaTwin(['--help']).status).toBe(0);
    expect(lambdaTwin(['invoke', '--help']).status).toBe(0);
    expect(lambdaTwin(['--version']).status).toBe(0);
  });

  it('exits 2 when start-lambda\'s port is in use, suggesting --port', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-cli-port-'));
    try {
      const template = path.join(root, 'test', 'invoke-api', 'fixtures', 'app', 'template.yaml');
      const r = lambdaTwin(['start-lambda', '--template', template, '--port', String(port), '--state-dir', stateDir]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use .*--port`));
    } finally {
      taken.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('lambda-twin invoke --isolate / --no-isolate', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-cli-isolate-'));
    fs.mkdirSync(path.join(dir, 'code'));
    fs.writeFileSync(path.join(dir, 'code', 'app.py'), 'import os\n\ndef handler(event, context):\n    return os.environ["LAMBDA_TASK_ROOT"]\n');
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
      Resources: { Where: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', Code: 'code' } } },
    }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const taskRoot = (...flags: string[]): string => {
    const r = lambdaTwin(['invoke', 'Where', '--template', path.join(dir, 'template.json'), '--no-logs', '--quiet', ...flags]);
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    return JSON.parse(r.stdout);
  };
  const isolating = isolationSupport().available;

  it('isolates by default where the host allows it (Lambda\'s /var/task), and runs plain processes with --no-isolate', () => {
    expect(taskRoot()).toEqual(isolating ? '/var/task' : expect.stringMatching(/\/code\/task$/));
    expect(taskRoot('--no-isolate')).toMatch(/\/code\/task$/);
  });

  it('isolates with --isolate, or warns once naming what the host lacks', () => {
    if (isolating) {
      expect(taskRoot('--isolate')).toBe('/var/task');
    } else {
      const r = spawnSync(process.execPath, [cli, 'invoke', 'Where', '--template', path.join(dir, 'template.json'), '--no-logs', '--quiet', '--isolate'], { encoding: 'utf8' });
      expect(r.stderr).toMatch(/environments are not isolated on this host: it lacks /);
    }
  });
});
