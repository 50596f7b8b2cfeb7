// What every trigger source (an SQS poller, a stream poller, a bucket, a topic, a rule, a schedule) offers the
// trigger hub, which starts them, stops them and waits for them to be idle (`settle`).

export interface TriggerSource {
  /** How the source is named in messages and the CLI (`SQS Orders → OrderHandler`). */
  readonly name: string;
  /** Starts polling / arms its timers. */
  start(): void;
  /** Whether work is in flight or ready to start now (a future timer does not count). */
  busy(): boolean;
  /** Resolves once nothing is in flight or ready (at once when not busy). */
  idle(): Promise<void>;
  /** Stops polling and timers; resolves when in-flight invokes have finished. */
  stop(): Promise<void>;
}

/** One delivery of a trigger to a function, told to the CLI (which prints it) and kept for tests. */
export interface TriggerDelivery {
  /** The source's name (`SQS Orders`, `S3 Uploads`, `Schedule Nightly`). */
  readonly source: string;
  readonly functionName: string;
  /** `ok`, `error` (function error), `partial` (some batch items failed), `dropped` (filtered, expired, denied). */
  readonly outcome: string;
  /** Number of records in the delivery. */
  readonly records: number;
  /** What happened, in one line. */
  readonly detail: string;
}

/** What the hub gives each poll/push source factory. */
export interface TriggerHooks {
  /**
   * Sends `payload` (JSON text) to a destination ARN the twin emulates (an SQS queue, an SNS topic, an event bus or
   * a function); false when the twin has no such target (the caller then records it as not delivered).
   */
  deliver(arn: string, payload: string): boolean;
  /** Tells the hub about one delivery. */
  onDelivery(delivery: TriggerDelivery): void;
}
