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
  const at = text.indexOf(`${field}:`);
  if (at < 0) return 0;
  return parseInt(text.slice(at + field.length + 1), 10) || 0;
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
