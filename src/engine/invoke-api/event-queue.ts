// Lambda's asynchronous invocation for the local twin: a journaled queue per function that runs `Event` invokes,
// retries function errors with backoff, drops events past their maximum age, and records outcomes in the
// on-success / on-failure destinations and the dead-letter queue, surviving a killed and restarted server.
import * as crypto from 'crypto';
import * as path from 'path';
import { appendRecord, DeadLetterRecord, DestinationRecord, hasRecordFor, jsonOrText, readRecords } from './destinations';
import { AttemptResult, EventJournal, EventState } from './event-journal';
import { functionArn, FunctionSpec } from '../../model/function-spec';
import { FunctionRunner, TooManyRequestsError } from '../function-runner';

/** Lambda's defaults for EventInvokeConfig. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 21_600;

/** What the queue needs from the twin. */
export interface EventQueueHost {
  /** The function with this key (`<stack>/<logical id>`), if the app still has it. */
  specFor(functionKey: string): FunctionSpec | undefined;
  runner(spec: FunctionSpec): FunctionRunner;
}

export interface EventQueueOptions {
  /** Folder of the journal and the destination files. */
  readonly dir: string;
  /**
   * Wait before retry n is n × this (Lambda waits 1 and then 2 minutes; locally it is short).
   */
  readonly retryDelayMs: number;
  /** Events of one function run at once, at most (the function's concurrency limit wins when lower). */
  readonly concurrencyPerFunction: number;
  /** Told about each finished event (the CLI prints it). */
  readonly onFinished?: (state: EventState) => void;
  /**
   * Told about each record written to a destination or DLQ (once, after it is on disk), so a twin that emulates
   * the destination (a queue, topic, bus or function) can deliver it there. `deadLetter` for DLQ records.
   */
  readonly onDestination?: (arn: string, record: DestinationRecord | DeadLetterRecord, deadLetter: boolean) => void;
}

/** An event to queue. */
export interface NewEvent {
  readonly spec: FunctionSpec;
  readonly qualifier?: string;
  readonly executedVersion: string;
  /** JSON text. */
  readonly payload: string;
  readonly clientContext?: string;
}

export function functionKeyOf(spec: FunctionSpec): string {
  return `${spec.stackName}/${spec.logicalId}`;
}

export class AsyncEventQueue {
  /** Opens the queue in `options.dir`, compacting its journal, and starts the events a previous run left. */
  static open(host: EventQueueHost, options: EventQueueOptions): AsyncEventQueue {
    return new AsyncEventQueue(host, options);
  }

  private readonly journal: EventJournal;
  private readonly states: Map<string, EventState>;
  private readonly ready = new Map<string, string[]>();
  private readonly running = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly recovered = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private settledWaiters: Array<() => void> = [];
  private closed = false;

  private constructor(private readonly host: EventQueueHost, private readonly options: EventQueueOptions) {
    const opened = EventJournal.open(path.join(options.dir, 'journal.jsonl'));
    this.journal = opened.journal;
    this.states = opened.states;
    for (const s of this.states.values()) {
      if (s.status !== 'pending') continue;
      this.recovered.add(s.id);
      this.schedule(s, 0);
    }
  }

  /** Folder of the destination files. */
  get destinationsDir(): string {
    return path.join(this.options.dir, 'destinations');
  }

  /** Journals the event (on disk when this resolves) and queues it; resolves with its request id. */
  async enqueue(event: NewEvent): Promise<string> {
    if (this.closed) throw new Error('The async event queue is closed');
    const state: EventState = {
      id: crypto.randomUUID(),
      functionKey: functionKeyOf(event.spec),
      functionName: event.spec.functionName,
      qualifier: event.qualifier,
      executedVersion: event.executedVersion,
      payload: event.payload,
      clientContext: event.clientContext,
      acceptedAt: Date.now(),
      attempts: 0,
      errors: 0,
      inFlight: false,
      status: 'pending',
    };
    await this.journal.accepted(state);
    this.schedule(state, 0);
    return state.id;
  }

  /** Every event the journal knows, oldest first. */
  list(): EventState[] {
    return [...this.states.values()];
  }

  /** Records sent to destination `arn` (an on-success/on-failure destination or DLQ). */
  records(arn: string): any[] {
    return readRecords(this.destinationsDir, arn);
  }

  /** Resolves when no event is queued, waiting for a retry or running. */
  settle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Stops starting events, waits for running attempts; unfinished events stay in the journal for the next start. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
    await this.journal.close();
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  // ---------------------------------------------------------------------------------------------------------

  private isIdle(): boolean {
    if (this.timers.size > 0 || this.inFlight.size > 0) return false;
    for (const ids of this.ready.values()) if (ids.length > 0) return false;
    return true;
  }

  private schedule(state: EventState, delayMs: number): void {
    if (this.closed) return;
    const enqueue = () => {
      this.timers.delete(state.id);
      const ids = this.ready.get(state.functionKey) ?? [];
      ids.push(state.id);
      this.ready.set(state.functionKey, ids);
      this.pump(state.functionKey);
    };
    if (delayMs <= 0) {
      enqueue();
      return;
    }
    this.timers.set(state.id, setTimeout(enqueue, delayMs));
  }

  private pump(functionKey: string): void {
    const ids = this.ready.get(functionKey) ?? [];
    const spec = this.host.specFor(functionKey);
    const limit = spec ? Math.max(1, Math.min(this.options.concurrencyPerFunction, this.runnerLimit(spec))) : 1;
    while (!this.closed && ids.length > 0 && (this.running.get(functionKey) ?? 0) < limit) {
      const state = this.states.get(ids.shift()!);
      if (!state || state.status !== 'pending') continue;
      this.running.set(functionKey, (this.running.get(functionKey) ?? 0) + 1);
      const attempt = this.attempt(state, spec).catch((err) => {
        process.stderr.write(`lambda-twin: async event ${state.id} of ${state.functionName}: ${(err as Error).message}\n`);
      }).finally(() => {
        this.inFlight.delete(attempt);
        this.running.set(functionKey, (this.running.get(functionKey) ?? 1) - 1);
        this.pump(functionKey);
        if (this.isIdle()) for (const resolve of this.settledWaiters.splice(0)) resolve();
      });
      this.inFlight.add(attempt);
    }
  }

  private runnerLimit(spec: FunctionSpec): number {
    try {
      return this.host.runner(spec).concurrencyLimit;
    } catch {
      return 1;
    }
  }

  private async attempt(state: EventState, spec: FunctionSpec | undefined): Promise<void> {
    const now = Date.now();
    if (!spec) {
      await this.journal.finished(state, 'failed', 'RetriesExhausted', now, [], 'ResourceNotFoundException');
      process.stderr.write(`lambda-twin: async event ${state.id} is for ${state.functionName}, which the app no longer has; recorded as failed\n`);
      this.options.onFinished?.(state);
      return;
    }
    const config = spec.asyncConfig ?? {};
    const maxAgeMs = (config.maximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;
    const maxRetries = config.maximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;

    if (state.lastResult && !state.lastResult.throttled && !state.lastResult.functionError) {
      // A restart found the success journaled but its destination not yet recorded.
      await this.conclude(state, spec, 'Success');
      return;
    }
    if (state.lastResult?.functionError && state.errors > maxRetries) {
      await this.conclude(state, spec, 'RetriesExhausted');
      return;
    }
    if (now - state.acceptedAt > maxAgeMs) {
      await this.conclude(state, spec, 'EventAgeExceeded');
      return;
    }

    void this.journal.attemptStarted(state, now).catch(() => undefined);
    let result: AttemptResult;
    try {
      const r = await this.host.runner(spec).invoke({
        payload: Buffer.from(state.payload ?? '{}', 'utf8'),
        requestId: state.id, // Lambda keeps an async event's request id across retries
        executedVersion: state.executedVersion,
        qualifier: state.qualifier,
        clientContext: state.clientContext,
      });
      result = {
        n: state.attempts,
        at: Date.now(),
        functionError: r.functionError,
        errorType: r.errorType,
        response: r.payload.toString('utf8'),
        executedVersion: r.executedVersion,
      };
    } catch (err) {
      if (err instanceof TooManyRequestsError) {
        result = { n: state.attempts, at: Date.now(), throttled: true, errorType: 'TooManyRequestsException', response: err.message };
      } else {
        const e = err as Error & { code?: string };
        if (this.closed) return; // shutting down: the event stays pending in the journal
        result = {
          n: state.attempts,
          at: Date.now(),
          functionError: 'Unhandled',
          errorType: e.code ?? 'ServiceException',
          response: JSON.stringify({ errorType: e.code ?? 'ServiceException', errorMessage: e.message }),
        };
      }
    }
    await this.journal.attemptFinished(state, result);

    if (result.throttled) {
      // Throttles are retried until the event is too old, with backoff, as Lambda does.
      const delay = Math.min(this.options.retryDelayMs * 2 ** Math.min(state.attempts, 8), Math.max(0, state.acceptedAt + maxAgeMs - Date.now()) + 1);
      this.schedule(state, Math.max(1, delay));
      return;
    }
    if (!result.functionError) {
      await this.conclude(state, spec, 'Success');
    } else if (state.errors > maxRetries) {
      await this.conclude(state, spec, 'RetriesExhausted');
    } else if (Date.now() + this.options.retryDelayMs * state.errors - state.acceptedAt > maxAgeMs) {
      await this.conclude(state, spec, 'EventAgeExceeded');
    } else {
      this.schedule(state, this.options.retryDelayMs * state.errors);
    }
  }

  /** Sends the outcome to its destinations (once, also across a crash) and journals the event as finished. */
  private async conclude(state: EventState, spec: FunctionSpec, condition: string): Promise<void> {
    const success = condition === 'Success';
    const config = spec.asyncConfig ?? {};
    const destinations: string[] = [];
    const dir = this.destinationsDir;
    const deliver = (arn: string, record: DestinationRecord | DeadLetterRecord) => {
      if (this.recovered.has(state.id) && hasRecordFor(dir, arn, state.id)) {
        destinations.push(arn);
        return;
      }
      appendRecord(dir, arn, record);
      destinations.push(arn);
      try {
        this.options.onDestination?.(arn, record, !('requestContext' in record));
      } catch (err) {
        process.stderr.write(`lambda-twin: delivering the record of async event ${state.id} to ${arn}: ${(err as Error).message}\n`);
      }
    };
    const last = state.lastResult && !state.lastResult.throttled ? state.lastResult : undefined;
    const destinationArn = success ? config.onSuccessDestination : config.onFailureDestination;
    if (destinationArn) {
      deliver(destinationArn, {
        version: '1.0',
        timestamp: new Date().toISOString(),
        requestContext: {
          requestId: state.id,
          functionArn: functionArn(spec, state.qualifier ?? '$LATEST'),
          condition,
          approximateInvokeCount: state.attempts,
        },
        requestPayload: jsonOrText(state.payload),
        ...(last ? {
          responseContext: { statusCode: 200, executedVersion: last.executedVersion ?? state.executedVersion, functionError: last.functionError },
          responsePayload: jsonOrText(last.response),
        } : {}),
      });
    }
    if (!success && config.deadLetterTargetArn) {
      const errorMessage = last?.response ? String((jsonOrText(last.response) as any)?.errorMessage ?? last.response) : condition;
      deliver(config.deadLetterTargetArn, {
        timestamp: new Date().toISOString(),
        body: state.payload ?? '',
        messageAttributes: { RequestID: state.id, ErrorCode: '200', ErrorMessage: errorMessage.slice(0, 1024) },
      });
    }
    await this.journal.finished(state, success ? 'succeeded' : 'failed', condition, Date.now(), destinations, success ? undefined : last?.errorType ?? state.errorType);
    this.recovered.delete(state.id);
    this.options.onFinished?.(state);
  }
}
