// The trigger hub: one per TwinCore. It holds the trigger clock, builds the poll sources (queues, streams) and the
// push sources (buckets, topics, buses, schedules) of the app, routes deliveries to the targets the twin emulates
// (`deliver`: an SQS queue, an SNS topic, an event bus, a function) — also the records the async queue writes to
// on-success / on-failure destinations and DLQs — keeps every delivery, and `settle()`s: waits until every source
// is idle and the async queue is settled, fast-forwarding a virtual clock over internal waits (never schedules).
import { createPollSources, EmulatedQueue, EmulatedStream, PollSources } from './poll-sources';
import { EmulatedEventBus } from './push/eventbridge';
import { DeliverOptions, PushContext, PushDelivery } from './push/push-source';
import { EmulatedBucket } from './push/s3';
import { ScheduledRule, SchedulerSchedule } from './push/schedules';
import { EmulatedTopic, SnsAttribute } from './push/sns';
import { TriggerDelivery, TriggerSource } from './source';
import { TriggerClock, VirtualTriggerClock } from './trigger-clock';
import { LAMBDA_DEFAULTS } from '../../model/function-spec';
import { BucketNotificationModel, PushResourceOrigin, RuleModel } from '../../model/triggers-push';
import type { DeadLetterRecord, DestinationRecord } from '../invoke-api/destinations';
import type { TwinCore } from '../twin';

export interface TriggerHubOptions {
  /** @default a VirtualTriggerClock starting now */
  readonly clock?: TriggerClock;
  /** Told about each delivery as it happens (the CLI prints it). */
  readonly onDelivery?: (delivery: TriggerDelivery) => void;
  /** Told about configuration problems (refused notifications, invalid patterns). @default process.emitWarning */
  readonly onWarning?: (message: string) => void;
}

/** How many fast-forward steps in a row may pass without progress while visible messages wait (then settle stops). */
const IDLE_STEPS_WITH_VISIBLE_MESSAGES = 3;
const MAX_SETTLE_STEPS = 10_000;

export class TriggerHub {
  public readonly clock: TriggerClock;
  public readonly polls: PollSources;
  public readonly buckets: EmulatedBucket[] = [];
  public readonly topics: EmulatedTopic[] = [];
  public readonly buses: EmulatedEventBus[] = [];
  public readonly scheduledRules: ScheduledRule[] = [];
  public readonly schedulerSchedules: SchedulerSchedule[] = [];
  public readonly warnings: string[] = [];
  private readonly list: PushDelivery[] = [];
  private readonly finished = new Map<string, { status: string; condition?: string; attempts: number }>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly sources: TriggerSource[];
  private stopped = false;

  constructor(private readonly core: TwinCore, private readonly options: TriggerHubOptions = {}) {
    this.clock = options.clock ?? new VirtualTriggerClock();
    const triggers = core.app.triggers;
    const first = core.specs[0];
    const ctx: PushContext = {
      core,
      clock: this.clock,
      region: first?.region ?? LAMBDA_DEFAULTS.region,
      accountId: first?.accountId ?? LAMBDA_DEFAULTS.accountId,
      deliverTo: (arn, body, opts) => this.deliver(arn, body, opts),
      record: (d) => this.record(d),
      warn: (m) => this.warn(m),
    };
    for (const w of triggers.pushWarnings ?? []) this.warn(w);

    // Buckets: the declared ones and any a notification names (an imported bucket).
    const byBucket = new Map<string, BucketNotificationModel[]>();
    for (const n of triggers.bucketNotifications ?? []) byBucket.set(n.bucketName, [...(byBucket.get(n.bucketName) ?? []), n]);
    const bucketNames = new Set([...(triggers.buckets ?? []).map((b) => b.bucketName), ...byBucket.keys()]);
    for (const name of bucketNames) {
      const model = triggers.buckets?.find((b) => b.bucketName === name);
      this.buckets.push(new EmulatedBucket(name, `arn:aws:s3:::${name}`, refsOf(model, name), byBucket.get(name) ?? [], ctx));
    }
    for (const t of triggers.topics ?? []) {
      this.topics.push(new EmulatedTopic(t.topicName, t.arn, refsOf(t, t.topicName),
        (triggers.subscriptions ?? []).filter((s) => s.topicArn === t.arn), ctx));
    }
    const orphanTopics = new Set((triggers.subscriptions ?? []).map((s) => s.topicArn).filter((arn) => !this.topics.some((t) => t.arn === arn)));
    for (const arn of orphanTopics) {
      const name = arn.split(':').pop()!;
      this.topics.push(new EmulatedTopic(name, arn, [name], triggers.subscriptions.filter((s) => s.topicArn === arn), ctx));
    }
    const patternRules = (triggers.rules ?? []).filter((r) => r.eventPattern !== undefined);
    const busNames = new Set(['default', ...(triggers.eventBuses ?? []).map((b) => b.name), ...patternRules.map((r) => r.eventBusName)]);
    for (const name of busNames) {
      const model = triggers.eventBuses?.find((b) => b.name === name);
      const arn = model?.arn ?? `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${name}`;
      this.buses.push(new EmulatedEventBus(name, arn, model?.logicalId ? [model.logicalId, name] : [name],
        patternRules.filter((r) => r.eventBusName === name), ctx));
    }
    const scheduledRules = (triggers.rules ?? []).filter((x: RuleModel) => x.scheduleExpression !== undefined);
    for (const r of scheduledRules) this.scheduledRules.push(new ScheduledRule(r, ctx));
    for (const s of triggers.schedules ?? []) this.schedulerSchedules.push(new SchedulerSchedule(s, ctx));

    this.polls = createPollSources({
      core,
      triggers,
      clock: this.clock,
      onWarning: (m) => this.warn(m),
      hooks: { deliver: (arn, payload) => this.deliver(arn, payload), onDelivery: (d) => this.record({ ...d, at: this.clock.now() }) },
    });
    this.sources = [...this.polls.sources, ...this.buckets, ...this.topics, ...this.buses, ...this.scheduledRules, ...this.schedulerSchedules];
    core.onEventFinished((state) => {
      this.finished.set(state.id, { status: state.status, condition: state.condition, attempts: state.attempts });
    });
    core.onDestinationRecord((arn, record, deadLetter) => this.forwardDestinationRecord(arn, record, deadLetter));
    for (const s of this.sources) s.start();
  }

  /** Whether the clock is virtual (moves only when advanced). */
  public get isVirtual(): boolean {
    return this.clock instanceof VirtualTriggerClock;
  }

  /** Every trigger source (pollers, buckets, topics, buses, schedules). */
  public allSources(): readonly TriggerSource[] {
    return this.sources;
  }

  /**
   * Sends `body` to a target the twin emulates: an SQS queue (a message), an SNS topic (a publish), an event bus
   * (an event whose detail is the body) or a function (an asynchronous invoke). False when there is no such target.
   */
  public deliver(arn: string, body: string, options: DeliverOptions = {}): boolean {
    if (this.stopped) return false;
    try {
      if (/^arn:aws[a-zA-Z-]*:sqs:/.test(arn) || /^https?:\/\/sqs\./.test(arn)) {
        this.polls.queue(arn).send({ body, attributes: options.attributes });
        return true;
      }
      if (/^arn:aws[a-zA-Z-]*:sns:/.test(arn)) {
        const topic = this.topics.find((t) => t.arn === arn);
        if (!topic) return false;
        const attributes: Record<string, SnsAttribute> = {};
        for (const [k, v] of Object.entries(options.attributes ?? {})) attributes[k] = { Type: 'String', Value: v };
        topic.publish({ message: body, attributes });
        return true;
      }
      if (/^arn:aws[a-zA-Z-]*:events:/.test(arn)) {
        const bus = this.buses.find((b) => b.arn === arn || b.busName === arn.split('/').pop());
        if (!bus) return false;
        const [result] = bus.putEvents([{ source: options.source ?? 'lambda-twin', detailType: options.detailType ?? 'Delivery', detail: body }]);
        return result.eventId !== undefined;
      }
      if (/^arn:aws[a-zA-Z-]*:lambda:/.test(arn)) {
        const work = this.core.invoke({ functionName: arn, invocationType: 'Event', payload: Buffer.from(body, 'utf8') })
          .then((o) => this.record({ source: 'Destination', functionName: o.spec.functionName, outcome: 'queued', records: 1, at: this.clock.now(), requestId: o.requestId, detail: `queued as asynchronous invoke ${o.requestId}` }))
          .catch((err) => this.record({ source: 'Destination', functionName: arn, outcome: 'dropped', records: 1, at: this.clock.now(), detail: (err as Error).message }));
        this.track(work);
        return true;
      }
    } catch {
      return false;
    }
    return false;
  }

  /** Every delivery so far, oldest first, with the final outcome of asynchronous invokes that finished. */
  public deliveries(): TriggerDelivery[] {
    return this.list.map((d) => {
      const done = d.requestId ? this.finished.get(d.requestId) : undefined;
      const { requestId: _r, at: _a, ...plain } = d;
      if (!done) return plain;
      return done.status === 'succeeded'
        ? { ...plain, outcome: 'ok', detail: `ran (asynchronous invoke ${d.requestId}, ${done.attempts} attempt${done.attempts === 1 ? '' : 's'})` }
        : { ...plain, outcome: 'error', detail: `failed: ${done.condition} after ${done.attempts} attempt${done.attempts === 1 ? '' : 's'} (asynchronous invoke ${d.requestId})` };
    });
  }

  /** Finds a bucket by construct id or path, logical id, name or ARN. */
  public bucket(ref: string): EmulatedBucket {
    return pick('bucket', ref, this.buckets, (b) => [b.bucketName, b.arn, ...b.refs]);
  }

  public topic(ref: string): EmulatedTopic {
    return pick('topic', ref, this.topics, (t) => [t.topicName, t.arn, ...t.refs]);
  }

  public eventBus(ref: string = 'default'): EmulatedEventBus {
    return pick('event bus', ref, this.buses, (b) => [b.busName, b.arn, ...b.refs]);
  }

  public queue(ref: string): EmulatedQueue {
    return this.polls.queue(ref);
  }

  public stream(ref: string): EmulatedStream {
    return this.polls.stream(ref);
  }

  /**
   * Resolves when every source is idle and every asynchronous invoke has finished. A virtual clock is moved to the
   * next internal timer (a visibility timeout, a batching window, a retry wait) while work waits for one; never
   * to a schedule, which only an explicit `advance` reaches.
   */
  public async settle(): Promise<void> {
    let idleSteps = 0;
    for (let step = 0; step < MAX_SETTLE_STEPS; step++) {
      await this.drain();
      const clock = this.clock;
      if (!(clock instanceof VirtualTriggerClock)) return;
      const nextTimer = clock.nextDue(['timer']);
      if (nextTimer === undefined) return;
      const nextSchedule = clock.nextDue(['schedule']);
      if (nextSchedule !== undefined && nextSchedule <= nextTimer) return;
      const waiting = this.queueWaits();
      if (waiting === 'none') return;
      if (waiting === 'visible' && idleSteps >= IDLE_STEPS_WITH_VISIBLE_MESSAGES) return;
      const before = this.progressMark();
      await clock.advanceTo(nextTimer, () => this.drain());
      idleSteps = this.progressMark() === before ? idleSteps + 1 : 0;
    }
  }

  /** Moves a virtual clock forward by `ms`, firing what becomes due in order and waiting for the work each starts. */
  public async advance(ms: number): Promise<void> {
    const clock = this.clock;
    if (!(clock instanceof VirtualTriggerClock)) {
      throw new Error('This twin runs its triggers on real time (lambda-twin start); only a virtual clock can be advanced');
    }
    if (!(ms >= 0)) throw new Error(`The clock moves forward only: advance by a duration of 0 or more (got ${ms} ms)`);
    await clock.advance(ms, () => this.drain());
  }

  /** Stops every source (in-flight invokes finish first). */
  public async stop(): Promise<void> {
    if (this.stopped) return;
    await Promise.allSettled(this.sources.map((s) => s.stop()));
    await Promise.allSettled([...this.inFlight]);
    this.stopped = true;
  }

  // ---------------------------------------------------------------------------------------------------------

  /** Waits until no source is busy, the hub's own deliveries are done and the async queue is settled. */
  private async drain(): Promise<void> {
    for (let i = 0; i < MAX_SETTLE_STEPS; i++) {
      await Promise.all(this.sources.map((s) => s.idle()));
      while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
      if (!this.core.isShutDown) await this.core.settleEvents();
      if (this.inFlight.size === 0 && !this.sources.some((s) => s.busy())) return;
    }
  }

  /**
   * Whether poll sources wait for a timer: `waiting` (a message in flight or delayed, or a stream poller in a retry
   * backoff or batching window), `visible` messages only, or `none`.
   */
  private queueWaits(): 'waiting' | 'visible' | 'none' {
    if (this.polls.waiting?.() === true) return 'waiting';
    let visible = false;
    for (const q of this.polls.queues()) {
      for (const m of q.messages()) {
        if (m.state !== 'visible') return 'waiting';
        visible = true;
      }
    }
    return visible ? 'visible' : 'none';
  }

  private progressMark(): string {
    const queues = this.polls.queues().map((q) => q.messages().map((m) => `${m.messageId}:${m.state}:${m.receiveCount}`).join(','));
    return `${this.list.length}|${this.finished.size}|${queues.join('|')}`;
  }

  private record(delivery: PushDelivery): void {
    this.list.push(delivery);
    try {
      this.options.onDelivery?.(delivery);
    } catch {
      // a printer's failure is not the trigger's
    }
  }

  private warn(message: string): void {
    this.warnings.push(message);
    if (this.options.onWarning) this.options.onWarning(message);
    else process.emitWarning(message, { code: 'LAMBDA_TWIN_TRIGGER' });
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** An async invoke's destination or DLQ record, sent on to the queue, topic, bus or function it names. */
  public forwardDestinationRecord(arn: string, record: DestinationRecord | DeadLetterRecord, deadLetter: boolean): void {
    if (deadLetter) {
      const dlq = record as DeadLetterRecord;
      this.deliver(arn, dlq.body, { attributes: { ...dlq.messageAttributes } });
      return;
    }
    const r = record as DestinationRecord;
    const success = r.requestContext.condition === 'Success';
    this.deliver(arn, JSON.stringify(r), {
      source: 'lambda',
      detailType: `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
    });
  }
}

function refsOf(model: PushResourceOrigin | undefined, name: string): string[] {
  if (!model) return [name];
  return [model.constructId, model.constructPath, model.logicalId, name].filter((x): x is string => x !== undefined);
}

/** The one item `ref` names (by any of its names); an error listing what there is otherwise. */
function pick<T>(kind: string, ref: string, items: readonly T[], names: (item: T) => readonly string[]): T {
  const exact = items.filter((i) => names(i).includes(ref));
  const found = exact.length > 0 ? exact : items.filter((i) => names(i).some((n) => n.endsWith(`/${ref}`) || n.endsWith(`/${ref}/Resource`)));
  if (found.length === 1) return found[0];
  const known = items.map((i) => names(i)[0]).join(', ') || '(none)';
  if (found.length > 1) throw new Error(`'${ref}' matches ${found.length} ${kind}s (${found.map((i) => names(i).join(' / ')).join('; ')}); use the name or ARN`);
  throw new Error(`No ${kind} '${ref}' in this app. The ${kind.endsWith('s') ? kind + 'es' : kind + 's'} it has: ${known}`);
}
