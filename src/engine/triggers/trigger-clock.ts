// The time source of triggers: schedules, batching windows, visibility timeouts, retry delays. The CLI runs on real
// time; a twin in a test runs on a virtual clock that only moves when the test advances it (`twin.clock.advance`)
// or when `settle()` fast-forwards to the next due timer. Owned by the triggers work (issue 14).

export interface TriggerClock {
  /** Milliseconds since the epoch, on this clock. */
  now(): number;
  /**
   * Calls `fn` when the clock reaches `at` (epoch ms). `kind` says whether it is a schedule firing (`schedule`:
   * only an explicit advance reaches it) or an internal wait that `settle()` may fast-forward to (`timer`).
   * The returned function cancels it.
   */
  at(at: number, fn: () => void, kind?: 'schedule' | 'timer'): () => void;
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  readonly kind: 'schedule' | 'timer';
}

/** Real time (setTimeout, unref'd so a pending timer never keeps a process alive). */
export class RealTriggerClock implements TriggerClock {
  public now(): number {
    return Date.now();
  }

  public at(at: number, fn: () => void): () => void {
    // setTimeout's limit is 2^31-1 ms; a far timer re-arms itself.
    const MAX = 2 ** 31 - 1;
    let timer: NodeJS.Timeout;
    const arm = () => {
      const wait = at - Date.now();
      timer = setTimeout(wait > MAX ? arm : fn, Math.max(0, Math.min(wait, MAX)));
      timer.unref();
    };
    arm();
    return () => clearTimeout(timer);
  }
}

/** A clock that moves only when told to; timers fire in time order (then in the order they were set). */
export class VirtualTriggerClock implements TriggerClock {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  public now(): number {
    return this.current;
  }

  public at(at: number, fn: () => void, kind: 'schedule' | 'timer' = 'timer'): () => void {
    const entry: Pending = { at, seq: this.seq++, fn, kind };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** The time of the earliest pending timer of the given kinds, if any. */
  public nextDue(kinds: ReadonlyArray<'schedule' | 'timer'> = ['schedule', 'timer']): number | undefined {
    let next: number | undefined;
    for (const p of this.pending) if (kinds.includes(p.kind) && (next === undefined || p.at < next)) next = p.at;
    return next;
  }

  /**
   * Moves the clock forward by `ms`, firing every timer that becomes due, in order; the clock reads each timer's
   * time while it fires. `afterEach` runs after each firing (the hub waits there for the work it started).
   */
  public async advance(ms: number, afterEach: () => Promise<void> = async () => {}): Promise<void> {
    await this.advanceTo(this.current + ms, afterEach);
  }

  /** Moves the clock to `target` (never backwards), firing what becomes due, in order. */
  public async advanceTo(target: number, afterEach: () => Promise<void> = async () => {}): Promise<void> {
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = Math.max(this.current, due.at);
      due.fn();
      await afterEach();
    }
    this.current = Math.max(this.current, target);
  }
}
