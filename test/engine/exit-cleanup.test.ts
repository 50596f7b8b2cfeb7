// A host process that exits without calling shutdown() must not leave its (frozen) runtimes behind.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { waitFor } from './helpers';

const root = path.resolve(__dirname, '..', '..');

function alive(pid: number): boolean {
  try {
    const state = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^State:\s+(\S)/m)?.[1];
    return state !== undefined && state !== 'Z';
  } catch {
    return false;
  }
}

describe('environments of a host process that exits', () => {
  it('are killed when the host exits without shutting the twin down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-exit-'));
    fs.mkdirSync(path.join(dir, 'code'));
    fs.writeFileSync(path.join(dir, 'code', 'app.py'), 'import os\n\ndef handler(event, context):\n    return os.getpid()\n');
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify({
      Resources: {
        Pid: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.11', Handler: 'app.handler', Code: 'code' } },
      },
    }));
    fs.writeFileSync(path.join(dir, 'host.ts'), [
      `import { LocalTwin } from ${JSON.stringify(path.join(root, 'src'))};`,
      // Plain processes on purpose: the test watches the runtime's host pid (the isolated case: isolation-namespaces.test.ts).
      `const twin = LocalTwin.fromTemplate(${JSON.stringify(path.join(dir, 'template.json'))}, { isolate: false });`,
      "twin.invoke('Pid').then((r) => { process.stdout.write(String(r.payload)); process.exit(0); });",
    ].join('\n'));
    const out = execFileSync(process.execPath, ['-r', 'ts-node/register', path.join(dir, 'host.ts')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1', TS_NODE_PROJECT: path.join(root, 'test', 'tsconfig.json') },
    });
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(1);
    // The host's exit hook sends SIGKILL; the kernel reaps the runtime soon after.
    await waitFor(() => !alive(pid), `runtime ${pid} to die with its host`);
    expect(alive(pid)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
