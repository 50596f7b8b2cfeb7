// Reads a process tree's memory from /proc: what Lambda reports as `Max Memory Used` and what its memory
// limit is enforced against. No `ps` on the invoke path: a few small file reads.
import * as fs from 'fs';

/** The pids of a process and all its descendants (via /proc/PID/task/TID/children). */
export function processTree(rootPid: number): number[] {
  const pids: number[] = [];
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    pids.push(pid);
    let tasks: string[];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (children) for (const child of children.split(' ')) stack.push(Number(child));
      } catch {
        // the task ended while we looked
      }
    }
  }
  return pids;
}

/** A field of /proc/PID/status in kB (`VmRSS`, `VmHWM`), 0 when the process is gone. */
export function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return 0;
  }
  return fieldKb(text, field);
}

function fieldKb(text: string, field: string): number {
  const at = text.indexOf(`${field}:`);
  if (at < 0) return 0;
  return parseInt(text.slice(at + field.length + 1), 10) || 0;
}

/**
 * Reads /proc/PID/status through descriptors kept open between reads: an invoke's peak costs one pread, not an
 * open, a stat, reads and a close. A kept descriptor stays bound to its process: once that process is gone it reads
 * nothing (0), even when the system hands its pid to another process. `release` closes the descriptors.
 */
export class ProcStatusFiles {
  private readonly open = new Map<number, number>();
  private readonly buffer = Buffer.allocUnsafe(8192);

  statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
    let fd = this.open.get(pid);
    if (fd === undefined) {
      try {
        fd = fs.openSync(`/proc/${pid}/status`, 'r');
      } catch {
        return 0;
      }
      this.open.set(pid, fd);
    }
    let read: number;
    try {
      read = fs.readSync(fd, this.buffer, 0, this.buffer.length, 0);
    } catch {
      this.forget(pid);
      return 0;
    }
    return fieldKb(this.buffer.toString('latin1', 0, read), field);
  }

  /** Closes the descriptors of pids not in `keep` (all when it is not given). */
  release(keep?: readonly number[]): void {
    for (const pid of [...this.open.keys()]) if (!keep?.includes(pid)) this.forget(pid);
  }

  private forget(pid: number): void {
    const fd = this.open.get(pid);
    this.open.delete(pid);
    if (fd === undefined) return;
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
  }
}

/** Whether any process of the group still exists. */
export function processGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
