// How an isolated environment is launched, and whether this host can: its own mount and PID namespaces
// (util-linux `unshare`, in a user namespace when the twin is not root), with runtimes/isolate.sh as the
// namespace's init. The launcher dies with the twin (parent-death signal), and the namespace with the launcher,
// so nothing outlives a `kill -9` of the twin. The fixed paths an isolated environment sees are Lambda's own.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ProcessExit } from './process-supervisor';
import { reaperExecutable } from './reaper';
import { RUNTIMES_DIR } from '../runtimes';

/** The paths inside an isolated environment, as in Lambda. */
export const ISOLATED_PATHS = {
  taskRoot: '/var/task',
  runtimeDir: '/var/runtime',
  optDir: '/opt',
  tmpDir: '/tmp',
} as const;

/** Lambda's runtime user (sbx_user1051): what the runtime runs as when the twin runs as root. */
export const SANDBOX_UID = 1051;

const LAUNCHER = path.join(RUNTIMES_DIR, 'isolate.sh');

/** What a host gives an isolated environment, found once per process. */
export interface IsolationSupport {
  readonly available: boolean;
  /** Whether the namespaces live in a user namespace (the twin is not root). */
  readonly userNamespace: boolean;
  /** Why isolation is unavailable, naming what is missing (when it is). */
  readonly missing?: string;
}

let support: IsolationSupport | undefined;
let warned = false;

/** The `unshare` options for an environment's namespaces: mount + PID (+ user when not root), init killed with its launcher. */
function unshareOptions(userNamespace: boolean): string[] {
  return [...(userNamespace ? ['--map-root-user'] : []), '--mount', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL', '--propagation', 'private'];
}

/** Probes once what this host allows: a mount and PID namespace, and the mount points for Lambda's paths. */
export function isolationSupport(): IsolationSupport {
  if (support) return support;
  const userNamespace = process.getuid?.() !== 0;
  const probe = spawnSync('setpriv', ['--pdeathsig', 'KILL', 'unshare', ...unshareOptions(userNamespace), 'true'], { encoding: 'utf8', timeout: 5000 });
  if (probe.error || probe.status !== 0) {
    const said = (probe.error?.message ?? probe.stderr ?? '').trim().split('\n')[0];
    const what = userNamespace
      ? 'unprivileged user namespaces with mount and PID namespaces (`unshare -r -m -p -f --mount-proc`), or running as root'
      : 'mount and PID namespaces (`unshare -m -p -f --mount-proc`)';
    support = { available: false, userNamespace, missing: `${what}: ${said || `exit status ${probe.status}`}` };
    return support;
  }
  // Bind mounts need a directory to land on; empty ones on the host are harmless.
  for (const dir of [ISOLATED_PATHS.taskRoot, ISOLATED_PATHS.runtimeDir, ISOLATED_PATHS.optDir]) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (err) {
      support = { available: false, userNamespace, missing: `the mount point ${dir} (${(err as Error).message}; create it once as root)` };
      return support;
    }
  }
  support = { available: true, userNamespace };
  return support;
}

/**
 * Whether an environment runs isolated, for the `isolate` option: `false` never; `undefined` (the default) when this
 * host can (see isolationSupport, probed once per process), silently falling back otherwise; `true` likewise, but
 * when the host cannot, a warning naming what is missing is printed once before falling back to plain processes.
 */
export function shouldIsolate(isolate: boolean | undefined): boolean {
  if (isolate === false) return false;
  const found = isolationSupport();
  if (!found.available && isolate === true && !warned) {
    warned = true;
    process.emitWarning(`lambda-twin: environments are not isolated on this host: it lacks ${found.missing}. ` +
      'They run as plain processes with the host\'s paths (see docs/security.md).');
  }
  return found.available;
}

/** The host folders an isolated environment sees at Lambda's paths ('-' for one not bound). */
export interface IsolatedFolders {
  readonly tmpDir: string;
  readonly taskRoot: string;
  readonly optDir: string;
  readonly runtimeDir: string;
}

/** A command that starts an environment's runtime, and whether it is the subreaper launcher. */
export interface LaunchCommand {
  readonly command: string;
  readonly args: string[];
  readonly reaper: boolean;
  /**
   * How many of the twin's own processes stand between the group leader and the runtime, the leader included
   * (unshare, the namespace's init, the subreaper launcher): their memory is not the function's.
   */
  readonly launchers: number;
}

/** Where the launcher inside an environment's namespace writes how its runtime ended (isolatedExit reads it). */
export function exitStatusFile(hostTmpDir: string): string {
  return `${hostTmpDir}.exit`;
}

/**
 * The command that runs `command args` inside its own namespaces, as the child of the namespace's init (through
 * the subreaper launcher when there is one, which reports how the runtime ended), with `folders` bound on Lambda's
 * paths, no capabilities, and as uid 1051 when the twin is root.
 */
export function isolatedLaunch(folders: IsolatedFolders, command: string, args: readonly string[]): LaunchCommand {
  const { userNamespace } = isolationSupport();
  const reaper = reaperExecutable();
  return {
    command: 'setpriv',
    args: ['--pdeathsig', 'KILL', 'unshare', ...unshareOptions(userNamespace), '--', '/bin/sh', LAUNCHER,
      folders.tmpDir, folders.taskRoot, folders.optDir, folders.runtimeDir, userNamespace ? '-' : String(SANDBOX_UID),
      reaper ?? '-', reaper ? exitStatusFile(folders.tmpDir) : '-', command, ...args],
    reaper: false, // the namespace ends everything in it: the supervisor kills the group as for plain processes
    launchers: reaper ? 3 : 2, // unshare (setpriv execs it), the namespace's init (isolate.sh), the launcher
  };
}

let setprivWorks: boolean | undefined;

/**
 * The command for an environment that is not isolated. Preferably the subreaper launcher (reaper.ts), which runs the
 * runtime as its child and kills every descendant when the runtime exits, when the twin asks or when the twin dies
 * (`reaper: true`: the supervisor ends such an environment through it). Without it, the runtime itself with a
 * parent-death signal (`setpriv --pdeathsig KILL`, which then execs it, so the pid and the exit status stay the
 * runtime's own), so that it dies with the twin even when frozen. An executable that cannot be run is left for the
 * spawn to report.
 */
export function plainLaunch(command: string, args: readonly string[]): LaunchCommand {
  let runnable = false;
  try {
    fs.accessSync(command, fs.constants.X_OK);
    runnable = fs.statSync(command).isFile();
  } catch {
    runnable = false;
  }
  if (!runnable) return { command, args: [...args], reaper: false, launchers: 0 };
  const reaper = reaperExecutable();
  if (reaper) return { command: reaper, args: [String(process.pid), command, ...args], reaper: true, launchers: 1 };
  if (setprivWorks === undefined) setprivWorks = spawnSync('setpriv', ['--pdeathsig', 'KILL', 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  if (!setprivWorks) return { command, args: [...args], reaper: false, launchers: 0 };
  return { command: 'setpriv', args: ['--pdeathsig', 'KILL', '--', command, ...args], reaper: false, launchers: 0 }; // setpriv execs it
}

const SIGNAL_BY_NUMBER = new Map<number, NodeJS.Signals>(
  Object.entries(os.constants.signals).map(([name, number]) => [number, name as NodeJS.Signals]));

/**
 * How the runtime of an isolated environment ended, as the plain mode sees it. The namespace's init cannot die of a
 * signal, so a runtime killed by one (a segfault) reaches the twin as `exit status 128+n`; the launcher's status
 * file (`signal n`) says which it was, and the exit is reported as that signal, as Lambda does
 * (`Runtime.ExitError`, `signal: segmentation fault`). The file is removed once read.
 */
export function isolatedExit(exit: ProcessExit, hostTmpDir: string): ProcessExit {
  const file = exitStatusFile(hostTmpDir);
  let said = '';
  try {
    said = fs.readFileSync(file, 'utf8');
    fs.rmSync(file, { force: true });
  } catch {
    return exit; // no launcher (no C compiler): the init's status stands
  }
  const m = /^signal (\d+)\n/.exec(said);
  if (exit.signal || !m || exit.code !== 128 + Number(m[1])) return exit;
  return { code: null, signal: SIGNAL_BY_NUMBER.get(Number(m[1])) ?? exit.signal };
}
