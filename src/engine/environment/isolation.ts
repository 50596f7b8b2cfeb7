// Whether this host can give an environment a private mount namespace (`unshare -m`), and the fixed paths an
// isolated environment sees: Lambda's own /var/task, /var/runtime, /opt and /tmp, bound from the host folders.
import { spawnSync } from 'child_process';
import * as fs from 'fs';

/** The paths inside an isolated environment, as in Lambda. */
export const ISOLATED_PATHS = {
  taskRoot: '/var/task',
  runtimeDir: '/var/runtime',
  optDir: '/opt',
  tmpDir: '/tmp',
} as const;

let available: boolean | undefined;

/**
 * True when `unshare -m` works here (root, or unprivileged user namespaces allowed) and the mount points for
 * /var/task and /var/runtime exist or could be created. Checked once per process.
 */
export function isolationAvailable(): boolean {
  if (available !== undefined) return available;
  available = false;
  try {
    const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'true'], { stdio: 'ignore', timeout: 5000 });
    if (probe.status !== 0) return false;
    // Bind mounts need a directory to land on; empty ones on the host are harmless.
    for (const dir of [ISOLATED_PATHS.taskRoot, ISOLATED_PATHS.runtimeDir, ISOLATED_PATHS.optDir]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    available = true;
  } catch {
    available = false;
  }
  return available;
}
