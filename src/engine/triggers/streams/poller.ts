// The poller of one Kinesis or DynamoDB stream event source mapping: per shard, in order, one batch at a time, from
// the StartingPosition; a failing batch is retried (after a backoff on the trigger clock) until it succeeds, its
// retries run out or its records grow too old, blocking the shard meanwhile; BisectBatchOnFunctionError splits a
// failing batch in halves; ReportBatchItemFailures checkpoints at the lowest failed sequence number; a batch given up
// sends its metadata to the OnFailure destination.
import type { DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { EmulatedStreamImpl, Shard, STREAM_RETENTION_MS, StreamRecord } from './stream';
import { EventSourceMappingModel } from '../../../model/triggers-poll';
import { BatchInvokeOutcome, batchItemFailures, errorOf, PollerBase, PollerContext } from '../poll-base';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

/** A batch: records [start, end) of a shard, and how many times it was invoked. */
interface Range { start: number; end: number; attempts: number }

interface ShardState {
  readonly shard: Shard;
  /** Index of the first record not yet processed (the checkpoint). */
  position: number;
  /** Batches to work through before reading on (the halves of a bisected batch, a partial retry). */
  work: Range[];
  inFlight: boolean;
  retryCancel?: () => void;
  windowOpen: boolean;
  windowCancel?: () => void;
}

export class StreamPoller extends PollerBase {
  public readonly name: string;
  private readonly states: ShardState[];

  constructor(mapping: EventSourceMappingModel, ctx: PollerContext, private readonly stream: EmulatedStreamImpl) {
    super(mapping, ctx);
    this.name = `${stream.kind === 'kinesis' ? 'Kinesis' : 'DynamoDB'} ${stream.name} → ${this.functionName}`;
    this.states = stream.shards.map((shard) => ({ shard, position: 0, work: [], inFlight: false, windowOpen: false }));
    stream.onChange(() => {
      this.schedulePump();
    });
  }

  protected override onStart(): void {
    for (const s of this.states) {
      const records = s.shard.records;
      if (this.mapping.startingPosition === 'LATEST') {s.position = records.length;} else if (this.mapping.startingPosition === 'AT_TIMESTAMP') {
        const at = (this.mapping.startingPositionTimestamp ?? 0) * 1000;
        const i = records.findIndex((r) => r.arrival >= at);
        s.position = i === -1 ? records.length : i;
      }
    }
  }

  /** Whether a retry backoff or a batching window is pending (work waits for the clock). */
  public waitingOnClock(): boolean {
    return this.states.some((s) => s.retryCancel !== undefined || s.windowCancel !== undefined);
  }

  protected ready(): boolean {
    return this.states.some((s) => this.nextRange(s, false) !== undefined);
  }

  public pump(): void {
    if (!this.active || !this.mapping.enabled) return;
    for (const s of this.states) {
      for (;;) {
        const range = this.nextRange(s, true);
        if (!range) break;
        const records = s.shard.records.slice(range.start, range.end);
        const kept = records.filter((r) => this.passes(this.filterShape(r)));
        if (kept.length === 0) {
          // Filtered out: skipped (streams never delete).
          this.completed(s, range);
          this.ctx.hooks.onDelivery({ source: this.sourceName, functionName: this.functionName, outcome: 'dropped', records: records.length, detail: `${records.length} record(s) did not match the FilterCriteria and were skipped` });
          continue;
        }
        s.inFlight = true;
        this.track(() => this.deliver(s, range, kept).finally(() => (s.inFlight = false)));
        break;
      }
    }
  }

  private get sourceName(): string {
    return `${this.stream.kind === 'kinesis' ? 'Kinesis' : 'DynamoDB'} ${this.stream.name}`;
  }

  /** The next batch of a shard, if one may start now; `arm` opens the batching window when records wait. */
  private nextRange(s: ShardState, arm: boolean): Range | undefined {
    if (s.inFlight || s.retryCancel) return undefined;
    if (s.work.length > 0) return s.work[0];
    const available = s.shard.records.length - s.position;
    if (available <= 0) return undefined;
    const window = this.mapping.maximumBatchingWindowSeconds;
    if (window > 0 && available < this.mapping.batchSize) {
      if (!s.windowOpen) {
        if (!arm) return undefined;
        s.windowOpen = true;
        s.windowCancel = this.timer(this.ctx.clock.now() + window * 1000, () => (s.windowCancel = undefined));
        return undefined;
      }
      if (s.windowCancel) return undefined;
    }
    if (arm) {
      s.windowCancel?.();
      s.windowCancel = undefined;
      s.windowOpen = false;
    }
    const range = { start: s.position, end: Math.min(s.shard.records.length, s.position + this.mapping.batchSize), attempts: 0 };
    if (arm) s.work.push(range);
    return range;
  }

  /** A batch is done with (succeeded, skipped or given up): the checkpoint moves past it. */
  private completed(s: ShardState, range: Range): void {
    s.work = s.work.filter((r) => r !== range);
    s.position = Math.max(s.position, range.end);
  }

  private filterShape(r: StreamRecord): unknown {
    if (this.stream.kind === 'kinesis') {
      const k = (r.event as KinesisStreamRecord).kinesis;
      const text = Buffer.from(k.data, 'base64').toString('utf8');
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        // non-JSON data: a data pattern does not match it
      }
      return { ...r.event, ...k, data };
    }
    return r.event;
  }

  private event(records: StreamRecord[]): KinesisStreamEvent | DynamoDBStreamEvent {
    if (this.stream.kind === 'kinesis') {
      const role = `arn:aws:iam::${this.spec!.accountId}:role/${this.spec!.functionName}-role`;
      return { Records: records.map((r) => ({ ...(r.event as KinesisStreamRecord), invokeIdentityArn: role })) };
    }
    return { Records: records.map((r) => r.event as DynamoDBRecord) };
  }

  private async deliver(s: ShardState, range: Range, kept: StreamRecord[]): Promise<void> {
    const now = this.ctx.clock.now();
    const maxAge = this.mapping.maximumRecordAgeSeconds;
    const oldest = kept[0].arrival;
    if ((maxAge >= 0 && now - oldest > maxAge * 1000) || now - oldest > STREAM_RETENTION_MS) {
      this.giveUp(s, range, kept, 'RecordAgeExceeded', undefined);
      return;
    }
    range.attempts += 1;
    const outcome = await this.invoke(this.event(kept));
    if (this.stopped) return;
    const error = errorOf(outcome);
    let failedAt: number | undefined; // index into the shard where the batch failed (partial)
    let why = error;
    if (error === undefined && this.mapping.reportBatchItemFailures) {
      const ids = batchItemFailures(outcome.response);
      if (ids === undefined) {why = 'invalid batchItemFailures response (not a list of { itemIdentifier })';} else {
        const failedSeqs = new Set(ids);
        const first = kept.find((r) => failedSeqs.has(r.sequenceNumber));
        if (first) failedAt = s.shard.records.indexOf(first, range.start);
      }
    }
    if (why === undefined && failedAt === undefined) {
      this.completed(s, range);
      this.ctx.hooks.onDelivery({ source: this.sourceName, functionName: this.functionName, outcome: 'ok', records: kept.length, detail: `batch of ${kept.length} record(s) from ${s.shard.shardId} processed` });
      return;
    }
    let retry = range;
    if (failedAt !== undefined) {
      // Checkpoint: what came before the lowest failed record is done; the batch resumes from it.
      retry = { start: failedAt, end: range.end, attempts: range.attempts };
      s.work = [retry, ...s.work.filter((r) => r !== range)];
      s.position = Math.max(s.position, failedAt);
      this.ctx.hooks.onDelivery({
        source: this.sourceName,
        functionName: this.functionName,
        outcome: 'partial',
        records: kept.length,
        detail: `${kept.length - kept.filter((r) => s.shard.records.indexOf(r, range.start) < failedAt!).length} of ${kept.length} record(s) from ${kept.find((r) => s.shard.records.indexOf(r, range.start) === failedAt)?.sequenceNumber} on will be retried`,
      });
    } else if (this.mapping.bisectBatchOnFunctionError && range.end - range.start > 1) {
      const mid = range.start + Math.ceil((range.end - range.start) / 2);
      // A split is not a retry: each half starts with no attempts.
      s.work = [{ start: range.start, end: mid, attempts: 0 }, { start: mid, end: range.end, attempts: 0 }, ...s.work.filter((r) => r !== range)];
      this.ctx.hooks.onDelivery({ source: this.sourceName, functionName: this.functionName, outcome: 'error', records: kept.length, detail: `function error (${why}); the batch is split in halves of ${mid - range.start} and ${range.end - mid}` });
      return;
    } else {
      this.ctx.hooks.onDelivery({ source: this.sourceName, functionName: this.functionName, outcome: 'error', records: kept.length, detail: `function error (${why}); attempt ${range.attempts}` });
    }
    const retries = this.mapping.maximumRetryAttempts;
    if (retries >= 0 && retry.attempts > retries) {
      this.giveUp(s, retry, s.shard.records.slice(retry.start, retry.end), 'RetryAttemptsExhausted', outcome);
      return;
    }
    const wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, retry.attempts - 1));
    s.retryCancel = this.timer(this.ctx.clock.now() + wait, () => (s.retryCancel = undefined));
  }

  /** Skips a batch: its metadata goes to the OnFailure destination (if any). */
  private giveUp(s: ShardState, range: Range, records: StreamRecord[], condition: string, outcome: BatchInvokeOutcome | undefined): void {
    const attempts = range.attempts;
    this.completed(s, range);
    const first = records[0];
    const last = records[records.length - 1];
    const info = {
      shardId: s.shard.shardId,
      startSequenceNumber: first.sequenceNumber,
      endSequenceNumber: last.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(first.arrival).toISOString(),
      approximateArrivalOfLastRecord: new Date(last.arrival).toISOString(),
      batchSize: records.length,
      streamArn: this.stream.arn,
    };
    const record = {
      requestContext: { requestId: outcome?.result?.requestId ?? '', functionArn: this.functionArn(), condition, approximateInvokeCount: attempts },
      responseContext: { statusCode: outcome?.result ? 200 : 0, executedVersion: outcome?.executedVersion ?? '$LATEST', functionError: outcome?.result?.functionError ?? '' },
      version: '1.0',
      timestamp: new Date(this.ctx.clock.now()).toISOString(),
      [this.stream.kind === 'kinesis' ? 'KinesisBatchInfo' : 'DDBStreamBatchInfo']: info,
    };
    const destination = this.mapping.onFailureDestination;
    const sent = destination !== undefined && this.ctx.hooks.deliver(destination, JSON.stringify(record));
    this.ctx.hooks.onDelivery({
      source: this.sourceName,
      functionName: this.functionName,
      outcome: 'dropped',
      records: records.length,
      detail: `${condition}: records ${first.sequenceNumber}…${last.sequenceNumber} of ${s.shard.shardId} skipped after ${attempts} attempt(s)` +
        (destination === undefined ? ' (no OnFailure destination)' : sent ? `; metadata sent to ${destination}` : `; the OnFailure destination ${destination} is not emulated, nothing was sent`),
    });
  }
}
