// The memory meter of an execution environment: samples the RSS of the runtime's process tree while it runs,
// keeps the peak, reads the kernel's high-water marks, and calls back once when the tree goes over its limit.
import { Clock, SYSTEM_CLOCK } from './clock';
import { ProcStatusFiles, processTree } from './process-tree';

/** Where memory figures come from: /proc, or a fake in unit tests. */
export interface MemoryReader {
  /** The pids of a process group leader and all its descendants. */
  tree(pgid: number): number[];
  /** A field of the process's status in kB (0 when it is gone). */
  statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number;
  /** Lets go of what was kept open for pids not in `keep` (all of them without it). */
  release?(keep?: readonly number[]): void;
}

/** The reader of a real environment: /proc, with each known process's status file kept open. */
export function procMemoryReader(): MemoryReader {
  const files = new ProcStatusFiles();
  return { tree: processTree, statusKb: (pid, field) => files.statusKb(pid, field), release: (keep) => files.release(keep) };
}

/** How often the memory of a running environment is sampled (and its limit enforced). */
export const MEMORY_SAMPLE_MS = 20;

export class MemoryMeter {
  /** The pids of the tree as last walked; refreshed by sampling, not per invoke. */
  private knownPids: number[] = [];
  private peakTreeRssBytes = 0;
  private stopSampler?: () => void;
  private tripped = false;
  /** The twin's own processes at the top of the tree (LaunchCommand.launchers), left out of the figures. */
  private launchers = 0;

  constructor(
    private readonly processGroupId: () => number,
    readonly limitBytes: number,
    private readonly onOverLimit: () => void,
    private readonly clock: Clock = SYSTEM_CLOCK,
    private readonly reader: MemoryReader = procMemoryReader(),
  ) {}

  /** Whether the tree went over its limit (the callback ran). */
  get overLimit(): boolean {
    return this.tripped;
  }

  /**
   * Starts over for the group `pgid`, whose first `launchers` processes (a chain from the leader down) are the twin's
   * own and not counted, as Lambda's memory figures cover only the runtime and what it starts.
   */
  reset(pgid: number, launchers = 0): void {
    this.launchers = launchers;
    this.knownPids = pgid && launchers === 0 ? [pgid] : [];
    this.reader.release?.(this.knownPids);
  }

  /** Lets go of the open /proc files (the environment is gone). */
  close(): void {
    this.stop();
    this.reader.release?.();
  }

  start(intervalMs = MEMORY_SAMPLE_MS): void {
    if (this.stopSampler) return;
    this.stopSampler = this.clock.every(intervalMs, () => this.sample());
  }

  stop(): void {
    this.stopSampler?.();
    this.stopSampler = undefined;
  }

  /** Walks the process tree, records its RSS, and reports once when it is over the limit. */
  sample(): void {
    const pgid = this.processGroupId();
    if (!pgid) return;
    const tree = this.reader.tree(pgid);
    // A launcher has one child, so the tree (leader first, depth first) starts with the chain of launchers.
    this.knownPids = this.launchers > 0 ? tree.slice(this.launchers) : tree;
    this.reader.release?.(this.knownPids);
    let rssKb = 0;
    for (const pid of this.knownPids) rssKb += this.reader.statusKb(pid, 'VmRSS');
    this.record(rssKb * 1024);
  }

  /**
   * The peak memory of the environment: the largest tree RSS sampled, or the kernel's per-process high-water
   * marks (VmHWM) of the known pids, whichever is larger. Only the status files of known pids are read, so a
   * short invoke costs one small /proc read, not a walk of the tree. A peak over the limit trips the meter too:
   * an allocation faster than the sampler is still caught when the invoke ends.
   */
  peakBytes(): number {
    let hwmKb = 0;
    for (const pid of this.knownPids) hwmKb += this.reader.statusKb(pid, 'VmHWM');
    return Math.max(this.peakTreeRssBytes, hwmKb * 1024);
  }

  /**
   * Trips the meter when the high-water mark is over the limit although no sample saw it (an allocation between
   * two samples, or a sampler starved on a loaded host); true when the tree is over its limit.
   */
  checkPeak(): boolean {
    if (!this.tripped && this.processGroupId()) this.record(this.peakBytes());
    return this.tripped;
  }

  private record(rss: number): void {
    if (rss > this.peakTreeRssBytes) this.peakTreeRssBytes = rss;
    if (rss > this.limitBytes && !this.tripped) {
      this.tripped = true;
      this.onOverLimit();
    }
  }
}
