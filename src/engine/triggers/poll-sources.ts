// SQS, Kinesis and DynamoDB stream emulation and the event source mapping pollers (issue 14, queues work): builds
// the app's queues and streams from the model and one poller per event source mapping. The trigger hub (push work)
// starts, settles and stops the pollers as TriggerSources.
import { PollerContext } from './poll-base';
import { TriggerHooks, TriggerSource } from './source';
import { SqsPoller } from './sqs/poller';
import { SqsMessage, SqsQueue } from './sqs/queue';
import { StreamPoller } from './streams/poller';
import { EmulatedStreamImpl } from './streams/stream';
import { TriggerClock } from './trigger-clock';
import { TriggersModel } from '../../model/triggers';
import type { TwinCore } from '../twin';

/** A message to send to a queue. */
export interface QueueSendInput {
  readonly body: string;
  /** Message attributes (String values). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** FIFO queues: the message group (required) and deduplication id (or content-based deduplication). */
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly delaySeconds?: number;
}

/** A message as the queue holds it now. */
export interface QueueMessageView {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly receiveCount: number;
  /** `visible`, `in-flight` or `delayed`. */
  readonly state: string;
  readonly groupId?: string;
}

export interface EmulatedQueue {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly fifo: boolean;
  /** Sends one message; returns its id (a duplicate within FIFO's deduplication interval returns the first id). */
  send(input: QueueSendInput): string;
  /** Every message the queue holds (visible, in flight or delayed), oldest first. */
  messages(): QueueMessageView[];
}

/** A change to put on a stream: Kinesis records, or DynamoDB item changes. */
export interface StreamPutInput {
  /** Kinesis: the record's data (text) and partition key. */
  readonly data?: string;
  readonly partitionKey?: string;
  /** DynamoDB: INSERT, MODIFY or REMOVE with plain JSON items (converted to DynamoDB JSON). */
  readonly eventName?: string;
  readonly keys?: any;
  readonly newImage?: any;
  readonly oldImage?: any;
}

export interface EmulatedStream {
  readonly name: string;
  readonly arn: string;
  /** `kinesis` or `dynamodb`. */
  readonly kind: string;
  /** Appends records; returns their sequence numbers. */
  put(records: readonly StreamPutInput[]): string[];
}

export interface PollSources {
  readonly sources: readonly TriggerSource[];
  /** Finds a queue by construct id or path, logical id, name, URL or ARN; throws an error listing the queues otherwise. */
  queue(ref: string): EmulatedQueue;
  queues(): readonly EmulatedQueue[];
  /** Finds a stream (Kinesis stream, or DynamoDB table with a stream) the same way. */
  stream(ref: string): EmulatedStream;
  streams(): readonly EmulatedStream[];
  /** Whether a poller waits on the clock (a stream's retry backoff or batching window): settle should advance. */
  waiting?(): boolean;
}

export interface PollSourcesInput {
  readonly core: TwinCore;
  readonly triggers: TriggersModel;
  readonly clock: TriggerClock;
  readonly hooks: TriggerHooks;
  /** Told about configuration problems (a mapping that cannot be polled). @default process.emitWarning */
  readonly onWarning?: (message: string) => void;
}

export function createPollSources(input: PollSourcesInput): PollSources {
  const { core, triggers, clock, hooks } = input;
  const warn = input.onWarning ?? ((message: string) => process.emitWarning(message, { code: 'LAMBDA_TWIN_TRIGGER' }));
  for (const w of triggers.pollWarnings ?? []) warn(w);
  const queues: SqsQueue[] = [];
  const byArn = new Map<string, SqsQueue>();
  const redrive = (arn: string, message: SqsMessage): boolean => {
    const dlq = byArn.get(arn);
    if (dlq) {
      dlq.accept(message);
      return true;
    }
    // A dead-letter queue outside the app: the hub may still emulate it (another kind of target); else it stays.
    if (hooks.deliver(arn, message.body)) return true;
    warn(`SQS: message ${message.messageId} reached its maxReceiveCount, but the dead-letter queue ${arn} is not in the app; it stays in its queue`);
    return false;
  };
  for (const model of triggers.queues ?? []) {
    if (byArn.has(model.arn)) continue; // the same queue read from two stacks
    const queue = new SqsQueue(model, clock, redrive, warn);
    queues.push(queue);
    byArn.set(model.arn, queue);
  }
  const streams: EmulatedStreamImpl[] = [];
  for (const model of triggers.streams ?? []) {
    if (streams.some((s) => s.arn === model.arn)) continue;
    streams.push(new EmulatedStreamImpl(model, clock));
  }
  const ctx: PollerContext = { core, clock, hooks, warn };
  const pollers: Array<SqsPoller | StreamPoller> = [];
  for (const mapping of triggers.eventSourceMappings ?? []) {
    const where = `${mapping.stackName}: Resources.${mapping.logicalId} (AWS::Lambda::EventSourceMapping)`;
    for (const note of mapping.notes) warn(`${where}: ${note}`);
    if (mapping.sourceKind === 'sqs') {
      const queue = byArn.get(mapping.eventSourceArn);
      if (!queue) {
        warn(`${where}: its queue ${mapping.eventSourceArn} is not in the app; the mapping is not polled`);
        continue;
      }
      pollers.push(new SqsPoller(mapping, ctx, queue));
    } else {
      const stream = streams.find((s) => s.arn === mapping.eventSourceArn);
      if (!stream) {
        warn(`${where}: its stream ${mapping.eventSourceArn} is not in the app; the mapping is not polled`);
        continue;
      }
      pollers.push(new StreamPoller(mapping, ctx, stream));
    }
  }
  core.onShutdown(() => queues.forEach((q) => q.close()));
  return {
    sources: pollers,
    queue: (ref) => pick('queue', ref, queues, (q) => q.refs),
    queues: () => queues,
    stream: (ref) => pick('stream', ref, streams, (s) => s.refs),
    streams: () => streams,
    waiting: () => pollers.some((p) => p instanceof StreamPoller && p.waitingOnClock()),
  };
}

/** The one item `ref` names (by any of its names, or a construct path ending in it); an error listing them otherwise. */
function pick<T>(kind: string, ref: string, items: readonly T[], names: (item: T) => readonly string[]): T {
  const exact = items.filter((i) => names(i).includes(ref));
  const found = exact.length > 0 ? exact : items.filter((i) => names(i).some((n) => n.endsWith(`/${ref}`) || n.endsWith(`/${ref}/Resource`)));
  if (found.length === 1) return found[0];
  if (found.length > 1) throw new Error(`'${ref}' matches ${found.length} ${kind}s (${found.map((i) => names(i)[0]).join(', ')}); use the name or ARN`);
  const known = items.map((i) => names(i)[0]).join(', ') || '(none)';
  throw new Error(`No ${kind} '${ref}' in this app. The ${kind}s it has: ${known}`);
}
