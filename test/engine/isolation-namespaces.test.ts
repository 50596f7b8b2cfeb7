// Isolation that holds, tried from inside a function as an attacker would: its own PID namespace (the runtime is
// the child of the namespace's init and sees no other process, the twin included), no capability to remount or
// unmount, Lambda's paths read-only for real, an unprivileged user when the twin is root, and nothing left of any
// environment after a `kill -9` of the twin — daemons that called setsid included. The fallback (no namespaces)
// is tried too, for what it does promise: the twin's environment is not passed down.
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURES, fixtureSpec, processesReferring, TestRunner } from './helpers';
import { isolationSupport, SANDBOX_UID } from '../../src/engine/environment/isolation';

jest.setTimeout(120_000);

const probeSpec = (environment: Record<string, string> = {}) =>
  fixtureSpec({ codePath: path.join(FIXTURES, 'node-probe'), runtime: 'nodejs20.x', handler: 'probe.handler', timeout: 10, environment });

/** Runs `sh` inside an environment of `fn`; answers its output. */
async function inside(fn: TestRunner, sh: string): Promise<{ out: string; err: string; code: number }> {
  const result = await fn.invoke({ sh });
  if (result.functionError) throw new Error(`probe failed: ${JSON.stringify(result.body)}`);
  return result.body;
}

/** Polls `check` until it holds or `deadlineMs` passes; answers its last value. */
async function within<T>(deadlineMs: number, probe: () => T, holds: (value: T) => boolean): Promise<T> {
  const end = Date.now() + deadlineMs;
  let value = probe();
  while (!holds(value) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = probe();
  }
  return value;
}

const SECRET = `twin-secret-${crypto.randomUUID()}`;
/** A pattern matching SECRET but not itself, so that the probing commands' own command lines do not count. */
const SECRET_PATTERN = `[${SECRET[0]}]${SECRET.slice(1)}`;
const support = isolationSupport();
const describeIfIsolating = support.available ? describe : describe.skip;

describeIfIsolating('an isolated environment (own mount and PID namespaces)', () => {
  let fn: TestRunner;
  beforeAll(() => {
    process.env.LT_TEST_TWIN_SECRET = SECRET; // in the twin's environment: no function may see it
    fn = new TestRunner(probeSpec(), { isolate: true, maxEnvironments: 2 });
  });
  afterAll(async () => {
    delete process.env.LT_TEST_TWIN_SECRET;
    await fn.close();
    expect(fn.leftovers()).toEqual([]);
  });

  it('runs the runtime as the child of the namespace\'s PID 1, seeing only its own processes', async () => {
    const { out } = await inside(fn, 'echo "$PPID"; tr "\\0" " " </proc/1/cmdline; echo; ls /proc | grep -c "^[0-9]"');
    const [, init, count] = out.split('\n');
    expect(init).toMatch(/isolate\.sh/); // PID 1 is the launcher's init, not the runtime
    expect(Number(count)).toBeLessThanOrEqual(6); // init, runtime, this shell and its pipeline: no host processes
    expect(Number(count)).toBeGreaterThanOrEqual(2);
  });

  it('cannot read the twin\'s environment, command line or descriptors from any process it can see', async () => {
    const { out } = await inside(fn, `p='${SECRET_PATTERN}'; cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" "\\n" | grep -c "$p"; ` +
      'env | grep -c "$p"; ls -l /proc/[0-9]*/fd 2>/dev/null | grep -c jest');
    expect(out.split('\n')).toEqual(['0', '0', '0']);
  });

  it('runs as an unprivileged user with no capabilities when the twin is root', async () => {
    const { out } = await inside(fn, 'id -u; grep -E "^Cap(Eff|Prm|Bnd):" /proc/self/status | cut -f2 | sort -u');
    const [uid, ...caps] = out.split('\n');
    expect(uid).toBe(support.userNamespace ? '0' : String(SANDBOX_UID));
    expect(caps).toEqual(['0000000000000000']);
  });

  it('cannot remount Lambda\'s paths writable, unmount its /tmp, or write to /var/task, /var/runtime, /opt', async () => {
    const { out } = await inside(fn, [
      'mount -o remount,bind,rw /var/task 2>/dev/null && echo remounted || echo refused',
      'umount -l /tmp 2>/dev/null && echo unmounted || echo refused',
      'umount -l /var/task 2>/dev/null && echo unmounted || echo refused',
      'for d in /var/task /var/runtime /opt; do touch "$d/planted" 2>/dev/null && echo wrote || echo refused; done',
      'grep -E " /var/(task|runtime) " /proc/self/mountinfo | grep -c " ro,"',
    ].join('; '));
    expect(out.split('\n')).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'refused', '2']);
  });

  it('cannot reach another environment\'s /tmp, neither through /proc nor by its host path', async () => {
    // Two environments, each with its own file in its /tmp; both stay alive (frozen) for the third look.
    await Promise.all(['A', 'B'].map((who) => inside(fn, `echo ${who} > /tmp/mine.txt; sleep 0.3`)));
    const copies = fs.readdirSync(fn.stateDir).filter((d) => d.startsWith('tmp-') && fs.existsSync(path.join(fn.stateDir, d, 'mine.txt')));
    expect(copies).toHaveLength(2);
    const hostTmp = (await inside(fn, 'grep " /tmp " /proc/self/mountinfo | cut -d" " -f4')).out; // its source, relative to its mount
    expect(hostTmp).toContain('tmp-');
    const { out } = await inside(fn, [
      'cat /tmp/mine.txt',
      'cat /proc/[0-9]*/root/tmp/mine.txt 2>/dev/null | sort -u | tr "\\n" " "; echo',
      `for d in ${copies.map((d) => path.join(fn.stateDir, d)).join(' ')}; do cat "$d/mine.txt" 2>/dev/null || echo refused; done`,
    ].join('; '));
    const [own, viaProc, ...viaHost] = out.split('\n');
    expect(['A', 'B']).toContain(own);
    expect(viaProc.trim()).toBe(own); // only its own /tmp, through its own processes
    if (!support.userNamespace) expect(viaHost).toEqual(['refused', 'refused']); // the state folder is the twin's (0700)
  });
});

/**
 * Whether uid 65534 can read this checkout's node_modules: not when the checkout sits below a folder only root may
 * enter (a clone in a `mktemp -d` folder, mode 0700), and then the twin cannot start as that user at all.
 */
function nobodyCanReadCheckout(): boolean {
  const probe = path.join(__dirname, '..', '..', 'node_modules', 'ts-node', 'package.json');
  return spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', 'test', '-r', probe]).status === 0;
}

// Skipped (not failed) where the checkout is unreadable by uid 65534: that says nothing about the twin.
const describeIfRoot = support.available && process.getuid?.() === 0 && nobodyCanReadCheckout() ? describe : describe.skip;

describeIfRoot('an isolated environment of a twin run by a normal user (a user namespace)', () => {
  it('has the same namespaces and no capabilities, running as the user (root only inside its user namespace)', async () => {
    // In the checkout's tmp/ (git-ignored), which the user can reach; the test tmp folder is root's own (0700).
    const scratchRoot = path.join(__dirname, '..', '..', 'tmp');
    fs.mkdirSync(scratchRoot, { recursive: true });
    const stateDir = fs.mkdtempSync(path.join(scratchRoot, 'lt-nobody-'));
    fs.chownSync(stateDir, 65534, 65534);
    try {
      const sh = 'id -u; grep CapEff /proc/self/status | cut -f2; ls /proc | grep -c "^[0-9]"; ' +
        'mount -o remount,bind,rw /var/task 2>/dev/null && echo remounted || echo refused; ' +
        'touch /var/task/x 2>/dev/null && echo wrote || echo refused; echo mine > /tmp/t && cat /tmp/t';
      const twin = spawn('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', process.execPath, '-r', 'ts-node/register',
        path.join(__dirname, 'isolated-twin-process.ts'), '--probe', stateDir, sh], {
        env: { PATH: process.env.PATH, HOME: stateDir, TMPDIR: stateDir, TS_NODE_TRANSPILE_ONLY: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      twin.stdout!.on('data', (d) => (stdout += d));
      twin.stderr!.on('data', (d) => (stderr += d));
      const code = await new Promise((resolve) => twin.once('exit', resolve));
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const answer = JSON.parse(stdout.trim().split('\n').pop()!);
      const [uid, caps, count, remount, write, tmp] = answer.out.split('\n');
      expect(uid).toBe('0'); // mapped: the user's own uid outside
      expect(caps).toBe('0000000000000000');
      expect(Number(count)).toBeLessThanOrEqual(6);
      expect([remount, write, tmp]).toEqual(['refused', 'refused', 'mine']);
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('an environment that is not isolated (the fallback)', () => {
  it('does not pass the twin\'s environment down, and is the twin\'s child, not a shell\'s', async () => {
    process.env.LT_TEST_TWIN_SECRET = SECRET;
    const fn = new TestRunner(probeSpec(), { isolate: false });
    try {
      const { out } = await inside(fn, `p='${SECRET_PATTERN}'; env | grep -c "$p"; ps -o ppid= -p $PPID | tr -d " "`);
      expect(out.split('\n')).toEqual(['0', String(process.pid)]);
    } finally {
      delete process.env.LT_TEST_TWIN_SECRET;
      await fn.close();
    }
    expect(fn.leftovers()).toEqual([]);
  });
});

describe('nothing left behind after kill -9 of the twin', () => {
  const modes = support.available ? [true, false] : [false];
  it.each(modes)('isolate: %s — frozen environments and setsid daemons are gone within a second', async (isolate) => {
    const marker = `lt-kill9-${crypto.randomUUID()}`;
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-kill9-'));
    try {
      const twin = spawn(process.execPath, ['-r', 'ts-node/register', path.join(__dirname, 'isolated-twin-process.ts'), stateDir, marker, String(isolate)], {
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      twin.stderr!.on('data', (d) => (stderr += d));
      const exited = new Promise((resolve) => twin.once('exit', resolve));
      await new Promise<void>((resolve, reject) => {
        let stdout = '';
        twin.stdout!.on('data', (d) => {
          stdout += d;
          if (stdout.includes('READY')) resolve();
        });
        void exited.then(() => reject(new Error(`the twin process exited early:\n${stderr}`)));
      });
      const before = processesReferring(marker);
      // Two runtimes and two daemons at least (plus the launchers when isolated).
      expect(before.filter((p) => / sleep 600/.test(p)).length).toBe(2);
      expect(before.length).toBeGreaterThanOrEqual(4);
      twin.kill('SIGKILL');
      await exited;
      if (isolate) {
        const left = await within(1000, () => processesReferring(marker), (l) => l.length === 0);
        expect(left).toEqual([]);
      } else {
        // Without namespaces the runtimes die with their launcher, but daemons that left its session survive
        // the twin: they are what docs/security.md names as the fallback's limit.
        const left = await within(1000, () => processesReferring(marker).filter((p) => !/ sleep 600/.test(p)), (l) => l.length === 0);
        expect(left).toEqual([]);
        for (const p of processesReferring(marker)) process.kill(Number(p.split(':')[0]), 'SIGKILL');
      }
    } finally {
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
