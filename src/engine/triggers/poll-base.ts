// What the SQS and stream pollers share: waiting for idle, tracking in-flight batches, timers on the trigger clock,
// the synchronous invoke an event source mapping makes, and the FilterCriteria of a mapping.
import { compilePattern, CompiledPattern } from './pattern';
import { TriggerHooks, TriggerSource } from './source';
import { TriggerClock } from './trigger-clock';
import { functionArn, FunctionSpec } from '../../model/function-spec';
import { EventSourceMappingModel } from '../../model/triggers-poll';
import { RunnerResult } from '../function-runner';
import type { TwinCore } from '../twin';

export interface PollerContext {
  readonly core: TwinCore;
  readonly clock: TriggerClock;
  readonly hooks: TriggerHooks;
  readonly warn: (message: string) => void;
}

/** The outcome of one batch invoke: the runner's result, or the error that kept the function from running. */
export interface BatchInvokeOutcome {
  readonly result?: RunnerResult;
  readonly error?: string;
  readonly executedVersion: string;
  /** The response payload, parsed when it is JSON (`undefined` for an empty payload, `INVALID_JSON` otherwise). */
  readonly response?: any;
}

export const INVALID_JSON = Symbol('invalid JSON');

/** The base of a poller: a TriggerSource whose busy() is `inFlight > 0 || ready()`. */
export abstract class PollerBase implements TriggerSource {
  public abstract readonly name: string;
  protected stopped = false;
  protected started = false;
  private readonly running = new Set<Promise<void>>();
  private waiters: Array<() => void> = [];
  private readonly timers = new Set<() => void>();
  protected readonly filters: CompiledPattern[] = [];
  /** Set when the mapping cannot run (bad filter, unknown function): the reason. */
  protected disabled?: string;
  protected readonly spec?: FunctionSpec;
  private pumpScheduled = false;

  constructor(protected readonly mapping: EventSourceMappingModel, protected readonly ctx: PollerContext) {
    this.spec = ctx.core.specs.find((s) => s.stackName === mapping.functionStackName && s.logicalId === mapping.functionLogicalId);
    if (!this.spec) this.disabled = `its function ${mapping.functionStackName}/${mapping.functionLogicalId} is not in the app`;
    mapping.filters.forEach((pattern, i) => {
      try {
        this.filters.push(compilePattern(pattern, 'eventbridge'));
      } catch (err) {
        this.disabled = `FilterCriteria.Filters[${i}] is not a valid pattern (${(err as Error).message})`;
      }
    });
  }

  public start(): void {
    if (this.started) return;
    this.started = true;
    if (this.disabled) {
      this.ctx.warn(`${this.mappingWhere()}: not polled: ${this.disabled}`);
      return;
    }
    this.onStart();
    this.pump();
  }

  public busy(): boolean {
    if (!this.active) return this.running.size > 0;
    return this.running.size > 0 || this.ready();
  }

  public idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    this.notifyIdle();
  }

  /** Whether the mapping is enabled and runs. */
  protected get active(): boolean {
    return this.started && !this.stopped && !this.disabled && this.mapping.enabled;
  }

  /** Where the mapping is, for messages. */
  protected mappingWhere(): string {
    return `${this.mapping.stackName}: Resources.${this.mapping.logicalId} (event source mapping ${this.name})`;
  }

  /** Whether a batch could start now. */
  protected abstract ready(): boolean;
  /** Starts what can start now. */
  public abstract pump(): void;
  protected onStart(): void {}

  /**
   * Pumps once the current synchronous work is done (a microtask later), so messages sent in one go are polled as
   * one batch, as a poll after them would find them.
   */
  protected schedulePump(): void {
    if (this.pumpScheduled || !this.active) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      if (!this.active) return;
      this.pump();
      this.notifyIdle();
    });
  }

  /** Whether a record (in its filter shape) passes the mapping's filters (no filters: everything passes). */
  protected passes(filterShape: unknown): boolean {
    return this.filters.length === 0 || this.filters.some((f) => f.matches(filterShape));
  }

  /** Runs `work` as an in-flight batch; pumps again and wakes idle waiters when it ends. */
  protected track(work: () => Promise<void>): void {
    const p = work().catch((err) => this.ctx.warn(`${this.mappingWhere()}: ${(err as Error).message}`)).finally(() => {
      this.running.delete(p);
      if (!this.stopped) this.pump();
      this.notifyIdle();
    });
    this.running.add(p);
  }

  protected get inFlight(): number {
    return this.running.size;
  }

  /** A timer on the trigger clock that pumps when it fires (a `timer`, which settle may fast-forward to). */
  protected timer(at: number, fn: () => void): () => void {
    let cancel: () => void = () => {};
    cancel = this.ctx.clock.at(at, () => {
      this.timers.delete(cancel);
      if (this.stopped) return;
      fn();
      this.pump();
      this.notifyIdle();
    }, 'timer');
    this.timers.add(cancel);
    return () => {
      cancel();
      this.timers.delete(cancel);
    };
  }

  protected notifyIdle(): void {
    if (this.waiters.length === 0 || this.busy()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Invokes the function synchronously with the batch event, as Lambda's poller does (no resource policy check). */
  protected async invoke(event: unknown): Promise<BatchInvokeOutcome> {
    const spec = this.spec!;
    let executedVersion = '$LATEST';
    try {
      executedVersion = this.ctx.core.executedVersion(spec, this.mapping.qualifier);
      const result = await this.ctx.core.runner(spec).invoke({
        payload: Buffer.from(JSON.stringify(event), 'utf8'),
        executedVersion,
        qualifier: this.mapping.qualifier,
      });
      const text = result.payload.toString('utf8').trim();
      let response: any;
      if (text !== '') {
        try {
          response = JSON.parse(text);
        } catch {
          response = INVALID_JSON;
        }
      }
      return { result, executedVersion, response };
    } catch (err) {
      return { error: (err as Error).message, executedVersion };
    }
  }

  protected get functionName(): string {
    return this.spec?.functionName ?? this.mapping.functionLogicalId;
  }

  protected functionArn(): string {
    return functionArn(this.spec!, this.mapping.qualifier);
  }
}

/** The item identifiers a ReportBatchItemFailures response lists; `undefined` when the response is invalid. */
export function batchItemFailures(response: any): string[] | undefined {
  if (response === INVALID_JSON) return undefined;
  if (response === undefined || response === null || typeof response !== 'object' || Array.isArray(response)) {
    return response === undefined || response === null ? [] : undefined;
  }
  const list = response.batchItemFailures;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return undefined;
  const ids: string[] = [];
  for (const item of list) {
    const id = item?.itemIdentifier;
    if (typeof id !== 'string' || id === '') return undefined;
    ids.push(id);
  }
  return ids;
}

/** The error a function returned (its errorType and message), in one line. */
export function errorOf(outcome: BatchInvokeOutcome): string | undefined {
  if (outcome.error !== undefined) return outcome.error;
  const r = outcome.result!;
  if (!r.functionError) return undefined;
  let detail = r.errorType ?? 'Unhandled';
  try {
    const body = JSON.parse(r.payload.toString('utf8'));
    if (body?.errorMessage) detail += `: ${String(body.errorMessage)}`;
  } catch {
    // not JSON
  }
  return r.timedOut ? `timed out (${detail})` : detail;
}
