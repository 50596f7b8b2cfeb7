// A scratch app outside the repository with the package installed as users get it (`npm pack` tarball), for the
// tests that run what users run: test/package/pack.test.ts and test/package/docs.test.ts.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const root = path.resolve(__dirname, '..', '..');
export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command quietly in `cwd` and returns its stdout; throws with its output when it fails. */
export function sh(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', CDK_DISABLE_VERSION_CHECK: '1', ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The version of a package installed in the repository (to install the same one in a scratch app). */
export function repoVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** Fails with what to do when lib/ is not compiled (the tarball would have no code). */
export function requireCompiled(): void {
  if (!fs.existsSync(path.join(root, 'lib', 'index.js')) || !fs.existsSync(path.join(root, 'lib', 'cli', 'main.js'))) {
    throw new Error('lib/ is not compiled: run `npx projen compile` (or `npm test`, which compiles first)');
  }
}

/** A fresh folder in the temporary folder with the packed tarball in it: `{ scratch, tarball }` (absolute path). */
export function packInto(prefix: string): { scratch: string; tarball: string } {
  requireCompiled();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const name = sh(npm, ['pack', '--silent', '--pack-destination', scratch], root).trim().split('\n').pop()!;
  return { scratch, tarball: path.join(scratch, name) };
}
