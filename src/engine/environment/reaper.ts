// The subreaper launcher of environments that are not isolated (runtimes/reaper.c): compiled once with the host's
// C compiler and cached, so that nothing a runtime starts outlives its environment or the twin — daemons that call
// setsid included. Without a compiler the plain launch (a parent-death signal only) is used instead.
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUNTIMES_DIR } from '../runtimes';

const SOURCE = path.join(RUNTIMES_DIR, 'reaper.c');

/** What the twin sends the launcher to end its environment now: it kills every descendant, then itself. */
export const REAPER_KILL_SIGNAL = 'SIGUSR1';

let built: { executable?: string; missing?: string } | undefined;

/**
 * Where compiled launchers are kept: `$XDG_CACHE_HOME/lambda-twin` (`~/.cache/lambda-twin`). Never a shared folder
 * such as /tmp, where another user could plant an executable for the twin to run.
 */
function cacheRoots(): string[] {
  return [path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'lambda-twin')];
}

/**
 * The launcher's executable, compiled at first use (`cc`, or `$CC`) into the cache and reused by later processes;
 * undefined when it cannot be built (no compiler, not Linux), with the reason in `reaperMissing()`.
 */
export function reaperExecutable(): string | undefined {
  if (built) return built.executable;
  built = build();
  return built.executable;
}

/** Why the launcher could not be built (undefined when it was, or before the first try). */
export function reaperMissing(): string | undefined {
  return built?.missing;
}

function build(): { executable?: string; missing?: string } {
  if (process.platform !== 'linux') return { missing: 'a Linux host (the launcher uses prctl(PR_SET_CHILD_SUBREAPER))' };
  let source: Buffer;
  try {
    source = fs.readFileSync(SOURCE);
  } catch (err) {
    return { missing: `the launcher's source ${SOURCE} (${(err as Error).message})` };
  }
  const digest = crypto.createHash('sha256').update(source).update(`${os.arch()} ${os.release()}`).digest('hex').slice(0, 16);
  const compiler = process.env.CC || 'cc';
  let said = '';
  for (const root of cacheRoots()) {
    const executable = path.join(root, `reaper-${digest}`, 'lt-reaper');
    if (usable(executable)) return { executable };
    try {
      fs.mkdirSync(path.dirname(executable), { recursive: true, mode: 0o755 });
    } catch (err) {
      said = (err as Error).message;
      continue;
    }
    // Built under a temporary name and renamed: two processes compiling at once never see a half-written file.
    const partial = `${executable}.${process.pid}.tmp`;
    const compiled = spawnSync(compiler, ['-O2', '-o', partial, SOURCE], { encoding: 'utf8', timeout: 60_000 });
    if (compiled.error || compiled.status !== 0) {
      fs.rmSync(partial, { force: true });
      const reason = compiled.error ? compiled.error.message : (compiled.stderr || `exit status ${compiled.status}`).trim().split('\n')[0];
      return { missing: `a C compiler to build ${SOURCE} (${compiler}: ${reason})` };
    }
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, executable);
    if (usable(executable)) return { executable };
    said = `${executable} does not run`;
  }
  return { missing: `a writable cache folder for the launcher (${said})` };
}

/** Whether a launcher at `executable` exists and runs (it exits 127 with its usage line when given no command). */
function usable(executable: string): boolean {
  if (!fs.existsSync(executable)) return false;
  const tried = spawnSync(executable, [], { encoding: 'utf8', timeout: 5000 });
  return tried.status === 127 && tried.stderr.includes('usage: lt-reaper');
}
