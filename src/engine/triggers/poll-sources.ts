// SQS, Kinesis and DynamoDB stream emulation and the event source mapping pollers (issue 14, queues work).
// PLACEHOLDER: no queues or streams until it lands; the signatures below are the contract the trigger hub and the
// façade (owned by the push work) code against.
import { TriggerHooks, TriggerSource } from './source';
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
}

export interface PollSourcesInput {
  readonly core: TwinCore;
  readonly triggers: TriggersModel;
  readonly clock: TriggerClock;
  readonly hooks: TriggerHooks;
}

export function createPollSources(_input: PollSourcesInput): PollSources {
  const none = (kind: string) => (ref: string): never => {
    throw new Error(`No ${kind} '${ref}' in this app (queues and streams are not emulated yet)`);
  };
  return { sources: [], queue: none('queue'), queues: () => [], stream: none('stream'), streams: () => [] };
}
