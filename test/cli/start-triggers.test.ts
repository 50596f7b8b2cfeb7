// The trigger verbs of the CLI as a user runs them (bin/lambda-twin, compiled lib/): put-object, publish,
// put-events print which functions ran and exit 1 when one failed; list shows each function's triggers;
// `start` runs a schedule in real time and stops on SIGTERM.
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PUSH_TEMPLATE, recorded, writePushApp } from '../triggers/push-fixture';

jest.setTimeout(240_000);

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'lambda-twin');

describe('lambda-twin trigger verbs', () => {
  let app: ReturnType<typeof writePushApp>;
  let envFile: string;
  beforeAll(() => {
    app = writePushApp();
    envFile = path.join(app.dir, 'env.json');
    fs.writeFileSync(envFile, JSON.stringify({ Parameters: { OUT: app.out } }));
  });
  afterAll(() => fs.rmSync(app.dir, { recursive: true, force: true }));

  const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args, '--template', app.templateFile, '--env-vars', envFile, '--quiet', '--no-logs', '--no-isolate'],
    { encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });

  it('put-object runs the functions the bucket notifies and prints them', () => {
    const r = run(['put-object', 'Uploads', 'in/a.txt']);
    expect(r.stderr).toContain('S3 refuses the notification configuration Resources.Unpermitted'); // said once, as a warning
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Put s3:\/\/uploads\/in\/a\.txt \(0 bytes, ETag d41d8cd98f00b204e9800998ecf8427e\)\nS3 Uploads → recorder: ok — ran \(asynchronous invoke [0-9a-f-]{36}, 1 attempt\)\n$/);
    expect(recorded(app.out, 'recorder')[0].Records[0].s3.object.key).toBe('in/a.txt');
  });

  it('publish says when the filter policy dropped the message', () => {
    const r = run(['publish', 'alerts', 'fine', '--attribute', 'level=info']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('SNS Alerts → recorder: dropped — filtered out by the filter policy (MessageAttributes)');
  });

  it('put-events exits 1 when the function it triggers fails', () => {
    const r = run(['put-events', '--source', 'fail', '--detail-type', 'x', '--detail', '{"n":1}']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/EventBridge default → failer: error — failed: RetriesExhausted after 2 attempts/);
  });

  it('put-events refuses a detail that is not JSON, with exit code 2', () => {
    const r = run(['put-events', '--source', 'shop', '--detail-type', 'x', '--detail', '{nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--detail is not valid JSON');
  });

  it('list shows the triggers of each function', () => {
    const r = spawnSync(process.execPath, [cli, 'list', '--template', app.templateFile], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const block = r.stdout.slice(r.stdout.indexOf('Recorder (recorder)'));
    expect(block).toContain('  Triggers:\n    S3 bucket uploads: s3:ObjectCreated:* (prefix in/, suffix .txt)\n');
    expect(block).toContain('    S3 bucket unpermitted: s3:ObjectCreated:Put — refused: the function does not grant s3.amazonaws.com the invoke\n');
    expect(block).toContain('    SNS topic alerts (filter policy on MessageAttributes)\n');
    expect(block).toContain('    EventBridge rule hourly: schedule rate(1 hour)\n');
    expect(block).toContain('    Scheduler schedule default/reminder: rate(90 minutes) UTC\n');
    expect(r.stdout).toContain('\nTriggers not delivered:\n  S3 refuses the notification configuration Resources.Unpermitted');
  });
});

describe('lambda-twin start', () => {
  it('fires a schedule in real time, prints the delivery and its outcome, and stops on SIGTERM', async () => {
    const template = JSON.parse(JSON.stringify(PUSH_TEMPLATE));
    template.Resources.Hourly.Properties.ScheduleExpression = 'rate(1 minute)';
    const app = writePushApp(template);
    const envFile = path.join(app.dir, 'env.json');
    fs.writeFileSync(envFile, JSON.stringify({ Parameters: { OUT: app.out } }));
    const child = spawn(process.execPath, [cli, 'start', '--template', app.templateFile, '--env-vars', envFile, '--quiet', '--no-logs', '--no-isolate'], {
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (/recorder: ok \(asynchronous invoke/.test(out)) resolve();
        });
        child.on('exit', () => reject(new Error(`start exited early:\n${out}\n${err}`)));
      });
      expect(out).toContain('Triggers running (real time):\n');
      expect(out).toContain('  EventBridge rule hourly: schedule rate(1 minute) → recorder\n');
      expect(out).toMatch(/Z Schedule Hourly → recorder: queued — queued as asynchronous invoke/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(app.dir, { recursive: true, force: true });
    }
  });
});
