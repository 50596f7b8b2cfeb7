// Isolation and code preparation: a private mount namespace per environment (own /tmp, read-only /var/task),
// safe extraction of deployment zips, and the host interpreters a runtime resolves to.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { FIXTURES, fixtureSpec, TestRunner } from './helpers';
import { LocalTwin } from '../../src';
import { extractZip } from '../../src/engine/code/zip';
import { isolationSupport } from '../../src/engine/environment/isolation';
import { hostInterpreter } from '../../src/engine/runtimes/runtimes';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-isolation-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Writes a zip with Python's zipfile, which lets a test craft entries no archiver would produce. */
function craftZip(name: string, entries: Array<{ name: string; content: string; symlink?: boolean }>): string {
  const file = path.join(scratch, name);
  const script = [
    'import json, sys, zipfile',
    'entries = json.loads(sys.argv[2])',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '    for e in entries:',
    '        info = zipfile.ZipInfo(e["name"])',
    '        info.external_attr = ((0o120777 if e.get("symlink") else 0o100755) << 16)',
    '        z.writestr(info, e["content"])',
  ].join('\n');
  execFileSync('python3', ['-c', script, file, JSON.stringify(entries)]);
  return file;
}

describe('zip extraction', () => {
  it('extracts files with their modes and in-package symlinks', async () => {
    const zip = craftZip('good.zip', [
      { name: 'app.py', content: 'def handler(e, c):\n    return "zipped"\n' },
      { name: 'lib/data.txt', content: 'data' },
      { name: 'lib/alias.txt', content: 'data.txt', symlink: true },
    ]);
    const target = path.join(scratch, 'good');
    await extractZip(zip, target);
    expect(fs.readFileSync(path.join(target, 'lib', 'alias.txt'), 'utf8')).toBe('data');
    expect(fs.statSync(path.join(target, 'app.py')).mode.toString(8).slice(-3)).toBe('755');
  });

  it.each([
    ['a path that climbs out', [{ name: '../../escaped.txt', content: 'x' }], /Unsafe zip entry '\.\.\/\.\.\/escaped\.txt'/],
    ['an absolute path', [{ name: '/etc/evil.txt', content: 'x' }], /Unsafe zip entry '\/etc\/evil\.txt'/],
    ['a symlink to an absolute path', [{ name: 'link', content: '/etc/passwd', symlink: true }], /Unsafe symlink 'link' -> '\/etc\/passwd'/],
    ['a symlink that climbs out', [{ name: 'dir/link', content: '../../../outside', symlink: true }], /Unsafe symlink 'dir\/link' -> '\.\.\/\.\.\/\.\.\/outside'/],
  ])('rejects %s, naming the zip and the entry', async (label, entries, message) => {
    const zip = craftZip(`${label.replace(/\W+/g, '-')}.zip`, entries);
    const target = path.join(scratch, 'bad', label.replace(/\W+/g, '-'));
    await expect(extractZip(zip, target)).rejects.toThrow(message);
    expect(fs.existsSync(path.join(scratch, 'escaped.txt'))).toBe(false);
    expect(fs.existsSync(path.join(scratch, 'outside'))).toBe(false);
  });

  it('runs a function straight from its deployment zip', async () => {
    const zip = craftZip('function.zip', [{ name: 'app.py', content: 'def handler(e, c):\n    return "zipped"\n' }]);
    const fn = new TestRunner(fixtureSpec({ codePath: zip, runtime: 'python3.11', handler: 'app.handler' }));
    expect((await fn.invoke()).body).toBe('zipped');
    await fn.close();
    expect(fn.leftovers()).toEqual([]);
  });
});

const describeIfIsolating = isolationSupport().available ? describe : describe.skip;

describeIfIsolating('a private mount namespace per environment (isolate)', () => {
  const fn = new TestRunner(fixtureSpec({ codePath: path.join(FIXTURES, 'python'), runtime: 'python3.11', handler: 'faults.handler' }),
    { isolate: true, maxEnvironments: 2 });
  afterAll(async () => {
    await fn.close();
    expect(fn.leftovers()).toEqual([]);
  });

  it('runs from Lambda\'s own paths: /var/task, /var/runtime, /opt', async () => {
    const { body: env } = await fn.invoke({ fault: 'environment' });
    expect(env.LAMBDA_TASK_ROOT).toBe('/var/task');
    expect(env.LAMBDA_RUNTIME_DIR).toBe('/var/runtime');
    expect(env.PYTHONPATH).toContain('/opt/python');
    expect(env.TMPDIR).toBeUndefined();
  });

  it('gives each environment its own /tmp, backed by its folder in the state dir', async () => {
    const [a, b] = await Promise.all([
      fn.invoke({ fault: 'write_tmp', name: 'mine.txt', content: 'A', absolute: true }),
      fn.invoke({ fault: 'write_tmp', name: 'mine.txt', content: 'B', absolute: true }),
    ]);
    expect(a.body.path).toBe('/tmp/mine.txt');
    expect(a.logStreamName).not.toBe(b.logStreamName);
    expect(fs.existsSync('/tmp/mine.txt')).toBe(false);
    const copies = fs.readdirSync(fn.stateDir).filter((d) => d.startsWith('tmp-'))
      .map((d) => path.join(fn.stateDir, d, 'mine.txt')).filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f, 'utf8'));
    expect(copies.sort()).toEqual(['A', 'B']);
  });

  it('mounts the task root read-only, even for root', async () => {
    expect((await fn.invoke({ fault: 'write_task_root' })).body).toBe('refused: Read-only file system');
  });
});

describe('host interpreters', () => {
  it('resolves a python through symlinks (and shims) to the real executable, once', () => {
    const python = hostInterpreter('python3.11');
    expect(fs.realpathSync(python.executable)).toBe(python.executable);
    expect(python.executable).not.toMatch(/shims/);
    const link = path.join(scratch, 'my-python');
    fs.symlinkSync(python.executable, link);
    const overridden = hostInterpreter('python3.11', { python: link });
    expect(overridden).toEqual({ executable: python.executable, version: python.version });
    expect(hostInterpreter('python3.11', { python: link })).toBe(overridden);
  });

  it('says how to fix an interpreter override that does not exist', () => {
    expect(() => hostInterpreter('python3.11', { python: '/nowhere/python9' }))
      .toThrow(/No Python interpreter found for runtime 'python3.11' \(tried \/nowhere\/python9: .*\)\. Install Python 3 or set/);
  });

  it('warns on a version mismatch, or refuses it when strict', async () => {
    const host = hostInterpreter('python3.11').version;
    const other = host === '3.12' ? 'python3.13' : 'python3.12';
    const app = new App();
    const stack = new Stack(app, 'InterpreterTest');
    new lambda.Function(stack, 'Mismatch', {
      runtime: new lambda.Runtime(other, lambda.RuntimeFamily.PYTHON),
      handler: 'faults.handler',
      code: lambda.Code.fromAsset(path.join(FIXTURES, 'python')),
      timeout: Duration.seconds(2),
    });
    const strict = LocalTwin.fromStack(stack, { strictRuntimeVersions: true, pythonInterpreter: hostInterpreter('python3.11').executable });
    await expect(strict.invoke('Mismatch')).rejects.toThrow(new RegExp(`uses ${other}, but the host's interpreter is python ${host}`));
    await strict.shutdown();
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const lenient = LocalTwin.fromStack(stack, { pythonInterpreter: hostInterpreter('python3.11').executable });
    const result = await lenient.invoke('Mismatch', { event: { fault: 'ok' } });
    await lenient.shutdown();
    expect(result.payload.echo).toEqual({ fault: 'ok' });
    expect(emitWarning).toHaveBeenCalledWith(expect.stringMatching(/running it anyway \(set strictRuntimeVersions to make this an error\)/),
      expect.objectContaining({ code: 'LAMBDA_TWIN_RUNTIME_MISMATCH' }));
    emitWarning.mockRestore();
  });
});
