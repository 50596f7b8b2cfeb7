// Guards a start-lambda state folder: one server at a time owns it (a pid file), and a server that starts after
// one was killed (`kill -9`) ends the execution environments the dead one left behind, frozen or running.
import * as fs from 'fs';
import * as path from 'path';

/** Takes the folder for this process; throws when a live server holds it. */
export function lockStateDir(stateDir: string): () => void {
  const file = path.join(stateDir, 'server.pid');
  fs.mkdirSync(stateDir, { recursive: true });
  const holder = Number(readText(file));
  if (holder && holder !== process.pid && isAlive(holder)) {
    throw new Error(`Another lambda-twin server (pid ${holder}) uses the state folder ${stateDir}. Stop it, or give this one another --state-dir.`);
  }
  fs.writeFileSync(file, String(process.pid));
  return () => {
    if (Number(readText(file)) === process.pid) fs.rmSync(file, { force: true });
  };
}

/**
 * Kills (SIGKILL, whole process group) the function processes a previous server left running with their working
 * folder under `stateDir`. Returns how many process groups were ended. Linux only (reads /proc); elsewhere 0.
 */
export function reapOrphanedEnvironments(stateDir: string): number {
  let root: string;
  try {
    root = fs.realpathSync(stateDir) + path.sep;
  } catch {
    return 0;
  }
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  const groups = new Set<number>();
  const ownGroup = processGroupOf('self');
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      if (!(cwd + path.sep).startsWith(root)) continue;
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes('AWS_LAMBDA_RUNTIME_API=')) continue;
      const group = processGroupOf(pid); // an environment is its own process group
      if (group > 1 && group !== ownGroup) groups.add(group);
    } catch {
      // the process ended meanwhile, or is not ours to read
    }
  }
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return groups.size;
}

function processGroupOf(pid: string): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
