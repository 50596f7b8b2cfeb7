// The append-only journal of asynchronous (`Event`) invokes: each accepted event is written and fsynced before
// the caller gets 202, and every attempt and outcome after it, so a restarted server resumes what a killed one
// left. Replaying the journal gives each event's state; compaction on open drops what finished events no longer need.
import * as fs from 'fs';
import * as path from 'path';

/** What one attempt of an event produced. */
export interface AttemptResult {
  readonly n: number;
  readonly at: number;
  /** `Unhandled` when the function failed. */
  readonly functionError?: string;
  readonly errorType?: string;
  /** The function's response (or error) as text. */
  readonly response?: string;
  readonly executedVersion?: string;
  /** The invoke was throttled (no concurrency), not run. */
  readonly throttled?: boolean;
}

export type EventStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/** One asynchronous event as the journal knows it. */
export interface EventState {
  readonly id: string;
  /** `<stack>/<logical id>`: finds the function again after a restart. */
  readonly functionKey: string;
  readonly functionName: string;
  readonly qualifier?: string;
  readonly executedVersion: string;
  /** The event payload (JSON text); dropped from finished events by compaction. */
  payload?: string;
  readonly clientContext?: string;
  readonly acceptedAt: number;
  /** Attempts started (Lambda's approximateInvokeCount). */
  attempts: number;
  /** Attempts that ended in a function error (what MaximumRetryAttempts counts). */
  errors: number;
  /** An attempt was started and has no result (yet, or ever: the server stopped while it ran). */
  inFlight: boolean;
  lastResult?: AttemptResult;
  status: EventStatus;
  condition?: string;
  finishedAt?: number;
  /** Destinations (ARNs) the outcome was recorded in. */
  destinations?: string[];
  errorType?: string;
}

type JournalRecord =
  | {
    t: 'accepted';
    id: string;
    functionKey: string;
    functionName: string;
    qualifier?: string;
    executedVersion: string;
    payload?: string;
    clientContext?: string;
    acceptedAt: number;
    attempts?: number;
    errors?: number;
    lastResult?: AttemptResult;
  }
  | { t: 'attempt'; id: string; n: number; at: number }
  | ({ t: 'result'; id: string } & AttemptResult)
  | { t: 'finished'; id: string; outcome: 'succeeded' | 'failed'; condition: string; at: number; destinations: string[]; errorType?: string }
  | {
    t: 'summary';
    id: string;
    functionKey: string;
    functionName: string;
    qualifier?: string;
    executedVersion: string;
    acceptedAt: number;
    attempts: number;
    errors: number;
    status: 'succeeded' | 'failed';
    condition?: string;
    finishedAt?: number;
    destinations?: string[];
    errorType?: string;
  };

/** Finished events kept (as summaries without payload) across compactions, newest first. */
const KEPT_FINISHED = 10_000;

/** Reads a journal into event states, in acceptance order. A torn last line (a write cut by a crash) is skipped. */
export function replayJournal(file: string): Map<string, EventState> {
  const states = new Map<string, EventState>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return states;
    throw e;
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line);
    } catch {
      continue; // only the last line can be torn: its event was never acknowledged
    }
    apply(states, record);
  }
  return states;
}

function apply(states: Map<string, EventState>, r: JournalRecord): void {
  if (r.t === 'accepted') {
    states.set(r.id, {
      id: r.id,
      functionKey: r.functionKey,
      functionName: r.functionName,
      qualifier: r.qualifier,
      executedVersion: r.executedVersion,
      payload: r.payload,
      clientContext: r.clientContext,
      acceptedAt: r.acceptedAt,
      attempts: r.attempts ?? 0,
      errors: r.errors ?? 0,
      inFlight: false,
      lastResult: r.lastResult,
      status: 'pending',
    });
    return;
  }
  if (r.t === 'summary') {
    states.set(r.id, {
      id: r.id,
      functionKey: r.functionKey,
      functionName: r.functionName,
      qualifier: r.qualifier,
      executedVersion: r.executedVersion,
      acceptedAt: r.acceptedAt,
      attempts: r.attempts,
      errors: r.errors,
      inFlight: false,
      status: r.status,
      condition: r.condition,
      finishedAt: r.finishedAt,
      destinations: r.destinations,
      errorType: r.errorType,
    });
    return;
  }
  const s = states.get(r.id);
  if (!s) return;
  if (r.t === 'attempt') {
    s.attempts = Math.max(s.attempts, r.n);
    s.inFlight = true;
    s.status = 'running';
  } else if (r.t === 'result') {
    const { t: _t, id: _id, ...result } = r;
    s.inFlight = false;
    s.status = 'pending';
    s.lastResult = result;
    if (result.functionError) {
      s.errors++;
      s.errorType = result.errorType;
    }
  } else if (r.t === 'finished') {
    s.inFlight = false;
    s.status = r.outcome;
    s.condition = r.condition;
    s.finishedAt = r.at;
    s.destinations = r.destinations;
    if (r.errorType) s.errorType = r.errorType;
  }
}

/** The journal file of one state folder, open for appending. */
export class EventJournal {
  /**
   * Opens (creating) the journal at `file` after compacting it: unfinished events keep their payload and attempt
   * counts; finished ones become summaries. Returns the journal and the replayed states.
   */
  static open(file: string): { journal: EventJournal; states: Map<string, EventState> } {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const states = replayJournal(file);
    // An attempt without a result was cut off by the previous server's end: it counts as made, and runs again.
    for (const s of states.values()) {
      if (s.status === 'running' || s.inFlight) {
        s.inFlight = false;
        s.status = 'pending';
      }
    }
    const finished = [...states.values()].filter((s) => s.status === 'succeeded' || s.status === 'failed')
      .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0)).slice(0, KEPT_FINISHED);
    const keptFinished = new Set(finished.map((s) => s.id));
    const lines: string[] = [];
    for (const s of states.values()) {
      if (s.status === 'pending') {
        lines.push(JSON.stringify({ ...acceptedRecord(s), attempts: s.attempts, errors: s.errors, lastResult: s.lastResult }));
      } else if (keptFinished.has(s.id)) {
        lines.push(JSON.stringify({
          t: 'summary',
          id: s.id,
          functionKey: s.functionKey,
          functionName: s.functionName,
          qualifier: s.qualifier,
          executedVersion: s.executedVersion,
          acceptedAt: s.acceptedAt,
          attempts: s.attempts,
          errors: s.errors,
          status: s.status,
          condition: s.condition,
          finishedAt: s.finishedAt,
          destinations: s.destinations,
          errorType: s.errorType,
        }));
      } else {
        states.delete(s.id);
      }
    }
    // Write the compacted journal beside the old one and rename it over: a crash leaves one or the other, whole.
    const temporary = `${file}.compacting`;
    const fd = fs.openSync(temporary, 'w');
    try {
      if (lines.length > 0) fs.writeSync(fd, lines.join('\n') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
    syncDirectory(path.dirname(file));
    for (const s of states.values()) s.payload = s.status === 'pending' ? s.payload : undefined;
    return { journal: new EventJournal(file, states), states };
  }

  private fd: number | undefined;
  private syncing = false;
  private waiting: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];

  private constructor(readonly file: string, private readonly states: Map<string, EventState>) {
    this.fd = fs.openSync(file, 'a');
  }

  /** Records an accepted event; resolves once it is on disk. */
  accepted(s: EventState): Promise<void> {
    this.states.set(s.id, s);
    return this.write(acceptedRecord(s));
  }

  /** Records that an attempt starts (durable with the next sync: losing it only makes the attempt look unstarted). */
  attemptStarted(s: EventState, at: number): Promise<void> {
    const record: JournalRecord = { t: 'attempt', id: s.id, n: s.attempts + 1, at };
    apply(this.states, record);
    return this.write(record);
  }

  /** Records an attempt's result; resolves once it is on disk. */
  attemptFinished(s: EventState, result: AttemptResult): Promise<void> {
    const record: JournalRecord = { t: 'result', id: s.id, ...result };
    apply(this.states, record);
    return this.write(record);
  }

  /** Records the event's outcome; resolves once it is on disk. */
  finished(s: EventState, outcome: 'succeeded' | 'failed', condition: string, at: number, destinations: string[], errorType?: string): Promise<void> {
    const record: JournalRecord = { t: 'finished', id: s.id, outcome, condition, at, destinations, errorType };
    apply(this.states, record);
    s.payload = undefined;
    return this.write(record);
  }

  /** Waits for the last sync, then closes the file. */
  async close(): Promise<void> {
    while (this.syncing || this.waiting.length > 0) await new Promise((resolve) => setImmediate(resolve));
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * Appends a record and resolves when an fsync that started after the append has finished. Records written while
   * one fsync runs share the next one (group commit), so concurrent events do not queue behind each other's syncs.
   */
  private write(record: JournalRecord): Promise<void> {
    if (this.fd === undefined) return Promise.reject(new Error(`The event journal ${this.file} is closed`));
    fs.writeSync(this.fd, JSON.stringify(record) + '\n');
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.syncing) this.sync();
    });
  }

  private sync(): void {
    const batch = this.waiting.splice(0);
    if (batch.length === 0 || this.fd === undefined) return;
    this.syncing = true;
    fs.fsync(this.fd, (err) => {
      this.syncing = false;
      for (const waiter of batch) {
        if (err) waiter.reject(err);
        else waiter.resolve();
      }
      this.sync();
    });
  }
}

function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  }
}

/** The journal record of an accepted event: everything needed to run it again after a crash. */
function acceptedRecord(s: EventState): Extract<JournalRecord, { t: 'accepted' }> {
  return {
    t: 'accepted',
    id: s.id,
    functionKey: s.functionKey,
    functionName: s.functionName,
    qualifier: s.qualifier,
    executedVersion: s.executedVersion,
    payload: s.payload,
    clientContext: s.clientContext,
    acceptedAt: s.acceptedAt,
  };
}
