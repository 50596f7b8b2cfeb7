// The triggers of a LocalTwin, for tests and tools (jsii): queues, buckets, topics, event buses and streams of the
// app, which run the functions they trigger as AWS would, and the trigger clock. Each class is a thin handle over
// the engine's trigger hub (src/engine/triggers/hub.ts); `LocalTwin.queue(…)`, `.bucket(…)` … return them.
import type { Duration } from 'aws-cdk-lib';
import type { TriggerHub } from './engine/triggers/hub';
import type { EmulatedQueue, EmulatedStream } from './engine/triggers/poll-sources';
import type { EmulatedEventBus } from './engine/triggers/push/eventbridge';
import type { EmulatedBucket } from './engine/triggers/push/s3';
import type { EmulatedTopic, SnsAttribute } from './engine/triggers/push/sns';

/** Options of `TwinQueue.send`. */
export interface TwinQueueSendOptions {
  /**
   * Message attributes (String values).
   * @default none
   */
  readonly attributes?: { [name: string]: string };
  /**
   * The message group of a FIFO queue (required there).
   * @default none
   */
  readonly groupId?: string;
  /**
   * The deduplication id of a FIFO queue without content-based deduplication.
   * @default none
   */
  readonly deduplicationId?: string;
  /**
   * Seconds before the message becomes visible.
   * @default the queue's DelaySeconds
   */
  readonly delaySeconds?: number;
}

/** A message as a queue holds it now. */
export interface TwinQueueMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: { [name: string]: string };
  readonly receiveCount: number;
  /** `visible`, `in-flight` or `delayed`. */
  readonly state: string;
  readonly groupId?: string;
}

/** An SQS queue of the app (also a dead-letter queue or a destination): send to it, look into it. */
export class TwinQueue {
  /** @internal */
  public static _of(queue: EmulatedQueue): TwinQueue {
    return new TwinQueue(queue);
  }

  private constructor(private readonly queue: EmulatedQueue) {}

  public get name(): string {
    return this.queue.name;
  }

  public get arn(): string {
    return this.queue.arn;
  }

  public get url(): string {
    return this.queue.url;
  }

  /** Sends one message (the event source mappings of the queue deliver it); returns its message id. */
  public send(body: string, options: TwinQueueSendOptions = {}): string {
    return this.queue.send({ body, ...options });
  }

  /** Every message the queue holds (visible, in flight or delayed), oldest first. */
  public messages(): TwinQueueMessage[] {
    return this.queue.messages().map((m) => ({ ...m, attributes: { ...m.attributes } }));
  }
}

/** A record to put on a stream: Kinesis data, or a DynamoDB item change. */
export interface TwinStreamRecord {
  /**
   * Kinesis: the record's data (text).
   * @default none
   */
  readonly data?: string;
  /**
   * Kinesis: the partition key.
   * @default a random key
   */
  readonly partitionKey?: string;
  /**
   * DynamoDB: `INSERT`, `MODIFY` or `REMOVE`.
   * @default none
   */
  readonly eventName?: string;
  /** DynamoDB: the item's keys (plain JSON). @default none */
  readonly keys?: any;
  /** DynamoDB: the new item (plain JSON). @default none */
  readonly newImage?: any;
  /** DynamoDB: the old item (plain JSON). @default none */
  readonly oldImage?: any;
}

/** A Kinesis stream or DynamoDB table stream of the app. */
export class TwinStream {
  /** @internal */
  public static _of(stream: EmulatedStream): TwinStream {
    return new TwinStream(stream);
  }

  private constructor(private readonly stream: EmulatedStream) {}

  public get name(): string {
    return this.stream.name;
  }

  public get arn(): string {
    return this.stream.arn;
  }

  /** `kinesis` or `dynamodb`. */
  public get kind(): string {
    return this.stream.kind;
  }

  /** Appends records; returns their sequence numbers. */
  public put(records: TwinStreamRecord[]): string[] {
    return this.stream.put(records);
  }
}

/** Options of `TwinBucket.putObject`. */
export interface TwinPutObjectOptions {
  /**
   * The event S3 sends: `ObjectCreated:Put`, `ObjectCreated:Post`, `ObjectCreated:Copy` or
   * `ObjectCreated:CompleteMultipartUpload`.
   * @default 'ObjectCreated:Put'
   */
  readonly eventName?: string;
}

/** An object a bucket holds. */
export interface TwinObject {
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
}

/** An S3 bucket of the app: writing and deleting objects sends its notifications. */
export class TwinBucket {
  /** @internal */
  public static _of(bucket: EmulatedBucket): TwinBucket {
    return new TwinBucket(bucket);
  }

  private constructor(private readonly bucket: EmulatedBucket) {}

  public get name(): string {
    return this.bucket.bucketName;
  }

  public get arn(): string {
    return this.bucket.arn;
  }

  /** Stores an object (text) and sends the ObjectCreated notifications that match it. */
  public putObject(key: string, body: string = '', options: TwinPutObjectOptions = {}): TwinObject {
    const o = this.bucket.putObject(key, Buffer.from(body, 'utf8'), options.eventName);
    return { key: o.key, size: o.body.length, eTag: o.eTag };
  }

  /** Deletes an object and sends the ObjectRemoved:Delete notifications that match it. */
  public deleteObject(key: string): void {
    this.bucket.deleteObject(key);
  }

  /** The keys the bucket holds, sorted. */
  public objectKeys(): string[] {
    return this.bucket.keys();
  }

  /** An object's body as text, or undefined when the bucket has no such key. */
  public getObject(key: string): string | undefined {
    return this.bucket.get(key)?.body.toString('utf8');
  }
}

/** Options of `TwinTopic.publish`. */
export interface TwinPublishOptions {
  /** The message's subject. @default none */
  readonly subject?: string;
  /** Message attributes of type String. @default none */
  readonly attributes?: { [name: string]: string };
  /** Message attributes of type Number. @default none */
  readonly numberAttributes?: { [name: string]: number };
  /** Message attributes of type String.Array. @default none */
  readonly stringArrayAttributes?: { [name: string]: string[] };
}

/** An SNS topic of the app: publishing delivers to its subscriptions whose filter policy matches. */
export class TwinTopic {
  /** @internal */
  public static _of(topic: EmulatedTopic): TwinTopic {
    return new TwinTopic(topic);
  }

  private constructor(private readonly topic: EmulatedTopic) {}

  public get name(): string {
    return this.topic.topicName;
  }

  public get arn(): string {
    return this.topic.arn;
  }

  /** Publishes a message; returns its message id. */
  public publish(message: string, options: TwinPublishOptions = {}): string {
    const attributes: Record<string, SnsAttribute> = {};
    for (const [k, v] of Object.entries(options.attributes ?? {})) attributes[k] = { Type: 'String', Value: v };
    for (const [k, v] of Object.entries(options.numberAttributes ?? {})) attributes[k] = { Type: 'Number', Value: String(v) };
    for (const [k, v] of Object.entries(options.stringArrayAttributes ?? {})) attributes[k] = { Type: 'String.Array', Value: JSON.stringify(v) };
    return this.topic.publish({ message, subject: options.subject, attributes });
  }
}

/** One event to put on a bus. */
export interface TwinEventEntry {
  readonly source: string;
  readonly detailType: string;
  /** The detail: a JSON object, or its JSON text. @default {} */
  readonly detail?: any;
  /** @default none */
  readonly resources?: string[];
}

/** PutEvents' answer for one entry. */
export interface TwinPutEventsResultEntry {
  readonly eventId?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface TwinPutEventsResult {
  readonly failedEntryCount: number;
  readonly entries: TwinPutEventsResultEntry[];
}

/** An EventBridge event bus (the default one, or one the app declares): put events, rules deliver them. */
export class TwinEventBus {
  /** @internal */
  public static _of(bus: EmulatedEventBus): TwinEventBus {
    return new TwinEventBus(bus);
  }

  private constructor(private readonly bus: EmulatedEventBus) {}

  public get name(): string {
    return this.bus.busName;
  }

  public get arn(): string {
    return this.bus.arn;
  }

  /** PutEvents (1 to 10 entries): each entry goes to the targets of the bus's rules whose pattern matches it. */
  public put(entries: TwinEventEntry[]): TwinPutEventsResult {
    const results = this.bus.putEvents(entries.map((e) => ({
      source: e.source, detailType: e.detailType, detail: e.detail, resources: e.resources,
    })));
    return { failedEntryCount: results.filter((r) => r.errorCode !== undefined).length, entries: results };
  }
}

/** The clock triggers run on: virtual in a LocalTwin (it moves when told to), real time in `lambda-twin start`. */
export class TwinClock {
  /** @internal */
  public static _of(hub: TriggerHub, virtual: boolean): TwinClock {
    return new TwinClock(hub, virtual);
  }

  private constructor(private readonly hub: TriggerHub, private readonly isVirtualClock: boolean) {}

  /** Whether the clock moves only when advanced. */
  public get virtual(): boolean {
    return this.isVirtualClock;
  }

  /** The time on the clock. */
  public now(): Date {
    return new Date(this.hub.clock.now());
  }

  /**
   * Moves a virtual clock forward, firing the schedules (and internal timers) that become due, in order, and
   * waiting for the invokes each one queues to be accepted. Call `settle()` after it to wait for the functions.
   */
  public async advance(duration: Duration): Promise<void> {
    await this.hub.advance(duration.toMilliseconds());
  }
}

/** One delivery of a trigger to a function (or another target). */
export interface TwinTriggerDelivery {
  /** The source (`S3 Uploads`, `SNS Alerts`, `EventBridge default`, `Schedule Nightly`, `SQS Orders`). */
  readonly source: string;
  readonly functionName: string;
  /** `ok`, `error` (the function failed, after retries), `partial`, `queued` (not finished yet) or `dropped` (filtered, refused, denied). */
  readonly outcome: string;
  readonly records: number;
  readonly detail: string;
}
