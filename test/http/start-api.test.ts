// `lambda-twin start-api` as a user runs it (the compiled CLI: run `npx projen compile` first): it prints the
// route table and the not-emulated list, serves requests with one log line each, and stops cleanly on SIGTERM.
import { spawn } from 'child_process';
import * as path from 'path';

jest.setTimeout(120_000);
const CLI = path.join(__dirname, '..', '..', 'bin', 'lambda-twin');
const TEMPLATE = path.join(__dirname, 'fixtures', 'sam', 'template.yaml');

it('serves the template\'s APIs, logs each request and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [CLI, 'start-api', '--template', TEMPLATE, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /Serving on (http:\/\/\S+)/.exec(stdout);
      if (m && stdout.includes('Not emulated')) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`start-api exited (${code}): ${stdout}${stderr}`)));
  });
  try {
    expect(stdout).toMatch(/ServerlessRestApi\s+REST\s+Prod\s+GET\s+http:\/\/127\.0\.0\.1:\d+\/ServerlessRestApi\/Prod\/hello\/\{name\}\s+\S*NodeHello\S*\s+NONE/);
    expect(stdout).toMatch(/Socket: a WebSocket API/);
    const r = await fetch(`${base}/ServerlessRestApi/Prod/hello/cli`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ hello: 'node', path: '/hello/cli' });
    const missing = await fetch(`${base}/ServerlessRestApi/Prod/nope`);
    expect(missing.status).toBe(403);
    await missing.text();
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(stderr).toMatch(/GET \[ServerlessRestApi\] \/Prod\/hello\/cli 200 [\d.]+ ms → \S*NodeHello/);
  expect(stderr).toMatch(/GET \[ServerlessRestApi\] \/Prod\/nope 403 [\d.]+ ms \(no route for GET \/nope\)/);
});
