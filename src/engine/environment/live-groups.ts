// The process groups of environments that are alive in this process, so that they die with it: when the
// host process exits (a jest worker ending, Ctrl-C, an uncaught error), frozen runtimes would otherwise be
// left stopped forever, since nobody would send them SIGCONT or SIGKILL.

import { REAPER_KILL_SIGNAL } from './reaper';

/** Live process groups, each with whether its leader is the subreaper launcher (reaper.ts). */
const live = new Map<number, boolean>();
let hooked = false;

function killAll(): void {
  for (const [pgid, reaper] of live) {
    try {
      // A launcher kills its descendants, daemons that left the group included; killing it would orphan them.
      if (reaper) {
        process.kill(pgid, REAPER_KILL_SIGNAL);
        process.kill(pgid, 'SIGCONT');
      } else {
        process.kill(-pgid, 'SIGKILL');
      }
    } catch {
      // gone already
    }
  }
  live.clear();
}

/** Remembers a live process group (and installs the exit hook once). */
export function trackProcessGroup(pgid: number, reaper = false): void {
  if (!pgid) return;
  live.set(pgid, reaper);
  if (!hooked) {
    hooked = true;
    process.on('exit', killAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      // Only when nobody else handles the signal: then Node's default (exit) would skip the 'exit' hook.
      if (process.listenerCount(signal) === 0) {
        process.once(signal, () => {
          killAll();
          process.kill(process.pid, signal);
        });
      }
    }
  }
}

/** Forgets a process group that was killed. */
export function forgetProcessGroup(pgid: number): void {
  live.delete(pgid);
}
