// The process side of an execution environment: spawns the runtime as the leader of its own process group and
// addresses the whole group — freeze (SIGSTOP), thaw (SIGCONT), terminate with a grace, kill — and says when
// the runtime exited. Groups alive are remembered so that they die with the host process (live-groups.ts).
import { ChildProcess, spawn } from 'child_process';
import { forgetProcessGroup, trackProcessGroup } from './live-groups';
import { processGroupAlive } from './process-tree';
import { REAPER_KILL_SIGNAL } from './reaper';

/** How the runtime process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnRequest {
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  /** File descriptor both stdout and stderr write to (the log stream). */
  readonly outputFd: number;
  /**
   * Whether `command` is the subreaper launcher (reaper.ts): the environment is then killed through it, so that
   * the descendants that left the process group (setsid) die too.
   */
  readonly reaper?: boolean;
}

/** What the lifecycle needs of a process group: the real one (ProcessSupervisor), or a fake in unit tests. */
export interface Supervisor {
  /** The process group id (0 before start and after kill). */
  readonly processGroupId: number;
  /** Whether a runtime process is running (not yet exited). */
  readonly running: boolean;
  /**
   * Starts the runtime. `onExit` is called once when it exits; `onStartFailure` instead when the executable could
   * not be started at all (with the reason, as RAPID words it).
   */
  start(request: SpawnRequest, onExit: (exit: ProcessExit) => void, onStartFailure: (reason: string) => void): void;
  freeze(): void;
  thaw(): void;
  /** SIGKILL to the group right now (the memory limit). */
  signalKill(): void;
  /** SIGTERM, up to `graceMs` for the runtime to leave, then kill. */
  terminate(graceMs: number): Promise<void>;
  /** Kills the whole group and waits until every process of it is gone. */
  kill(): Promise<void>;
}

/** Spawns and signals one runtime process group. */
export class ProcessSupervisor implements Supervisor {
  private child?: ChildProcess;
  private pgid = 0;
  private frozen = false;
  private reaper = false;
  private exited: Promise<void> = Promise.resolve();

  get processGroupId(): number {
    return this.pgid;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  start(request: SpawnRequest, onExit: (exit: ProcessExit) => void, onStartFailure: (reason: string) => void): void {
    let child: ChildProcess;
    try {
      child = spawn(request.command, request.args, {
        cwd: request.cwd,
        env: request.env,
        detached: true, // its own process group: freeze, thaw and kill address the whole group
        stdio: ['ignore', request.outputFd, request.outputFd],
      });
    } catch (err) {
      onStartFailure(`fork/exec ${request.command}: ${(err as Error).message}`);
      return;
    }
    this.child = child;
    this.pgid = child.pid ?? 0;
    this.reaper = request.reaper === true;
    trackProcessGroup(this.pgid, this.reaper);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.child = undefined;
        onExit({ code, signal });
        resolve();
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        // The executable could not be started (missing, not executable): there will be no 'exit'.
        if (this.pgid) return;
        this.child = undefined;
        onStartFailure(`fork/exec ${request.command}: ${err.code === 'EACCES' ? 'permission denied' : err.message}`);
        resolve();
      });
    });
  }

  freeze(): void {
    if (this.frozen || !this.pgid) return;
    try {
      process.kill(-this.pgid, 'SIGSTOP');
      this.frozen = true;
    } catch {
      // the group is gone; the exit handler deals with it
    }
  }

  thaw(): void {
    if (!this.frozen || !this.pgid) return;
    this.frozen = false;
    try {
      process.kill(-this.pgid, 'SIGCONT');
    } catch {
      // the group is gone
    }
  }

  signalKill(): void {
    if (!this.pgid) return;
    try {
      if (this.reaper && this.child) {
        // The launcher kills every descendant (frozen ones too), then itself; SIGCONT wakes it when frozen.
        process.kill(this.pgid, REAPER_KILL_SIGNAL);
        process.kill(this.pgid, 'SIGCONT');
      } else {
        process.kill(-this.pgid, 'SIGKILL');
      }
    } catch {
      // gone already
    }
  }

  async terminate(graceMs: number): Promise<void> {
    if (this.child && this.pgid && processGroupAlive(this.pgid)) {
      this.thaw();
      try {
        process.kill(-this.pgid, 'SIGTERM');
      } catch {
        // already gone
      }
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => (graceTimer = setTimeout(resolve, graceMs)));
      await Promise.race([this.exited, grace]);
      clearTimeout(graceTimer);
    }
    await this.kill();
  }

  async kill(): Promise<void> {
    if (!this.pgid) return;
    const pgid = this.pgid;
    this.frozen = false;
    this.signalKill();
    if (this.child) await this.exited;
    if (this.reaper) {
      try {
        process.kill(-pgid, 'SIGKILL'); // whatever of the group the launcher did not end
      } catch {
        // none: the usual case
      }
    }
    // Wait for the rest of the group (grandchildren) to be reaped too.
    for (let i = 0; i < 100 && processGroupAlive(pgid); i++) await new Promise((r) => setTimeout(r, 5));
    forgetProcessGroup(pgid);
    this.pgid = 0; // never signal a group id the system may hand to someone else
  }
}
