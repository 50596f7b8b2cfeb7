// The poller of one SQS event source mapping: batches of up to BatchSize messages (or what arrived when the batching
// window closes), a synchronous invoke per batch, success deleting the batch, a function error leaving it to return
// after the visibility timeout, ReportBatchItemFailures returning only the listed messages, filters deleting what does
// not match, and MaximumConcurrency capping the batches in flight.
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { SqsMessage, SqsQueue, LOCAL_SENDER_ID } from './queue';
import { EventSourceMappingModel } from '../../../model/triggers-poll';
import { batchItemFailures, errorOf, PollerBase, PollerContext } from '../poll-base';

/** Lambda's poller starts with five concurrent batches; locally that is the default cap too. */
const DEFAULT_CONCURRENCY = 5;

export class SqsPoller extends PollerBase {
  public readonly name: string;
  private windowCancel?: () => void;
  private windowOpen = false;

  constructor(mapping: EventSourceMappingModel, ctx: PollerContext, private readonly queue: SqsQueue) {
    super(mapping, ctx);
    this.name = `SQS ${queue.name} → ${this.functionName}`;
    queue.onChange(() => {
      this.schedulePump();
    });
  }

  private get concurrency(): number {
    const limit = this.mapping.maximumConcurrency ?? DEFAULT_CONCURRENCY;
    return this.spec?.reservedConcurrency !== undefined ? Math.max(1, Math.min(limit, this.spec.reservedConcurrency)) : limit;
  }

  /** Messages become visible again only after this long (Lambda: at least window + timeout + 30 s when longer). */
  private get visibilityMs(): number {
    const visibility = this.queue.model.visibilityTimeoutSeconds;
    const needed = this.mapping.maximumBatchingWindowSeconds + (this.spec?.timeout ?? 3);
    return (needed > visibility ? needed + 30 : visibility) * 1000;
  }

  protected ready(): boolean {
    if (this.inFlight >= this.concurrency) return false;
    const count = this.queue.receivableCount(this.mapping.batchSize);
    if (count === 0) return false;
    return this.mapping.maximumBatchingWindowSeconds === 0 || count >= this.mapping.batchSize || (this.windowOpen && !this.windowCancel);
  }

  public pump(): void {
    if (!this.active || !this.mapping.enabled) return;
    while (this.inFlight < this.concurrency) {
      const count = this.queue.receivableCount(this.mapping.batchSize);
      if (count === 0) return;
      const window = this.mapping.maximumBatchingWindowSeconds;
      if (window > 0 && count < this.mapping.batchSize) {
        if (!this.windowOpen) {
          // The window opens with the first message that waits; the batch goes when it closes or fills.
          this.windowOpen = true;
          this.windowCancel = this.timer(this.ctx.clock.now() + window * 1000, () => (this.windowCancel = undefined));
          return;
        }
        if (this.windowCancel) return;
      }
      this.windowCancel?.();
      this.windowCancel = undefined;
      this.windowOpen = false;
      const batch = this.queue.receive(this.mapping.batchSize, this.visibilityMs);
      if (batch.length === 0) return;
      this.track(() => this.deliver(batch));
    }
  }

  private record(m: SqsMessage): SQSRecord {
    const attributes: SQSRecord['attributes'] = {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentTimestamp),
      SenderId: LOCAL_SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp ?? m.sentTimestamp),
    };
    if (this.queue.fifo) {
      attributes.SequenceNumber = m.sequenceNumber;
      attributes.MessageGroupId = m.groupId;
      attributes.MessageDeduplicationId = m.deduplicationId;
    }
    const messageAttributes: SQSRecord['messageAttributes'] = {};
    for (const [name, value] of Object.entries(m.messageAttributes)) {
      messageAttributes[name] = { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' };
    }
    const record: SQSRecord = {
      messageId: m.messageId,
      receiptHandle: m.receiptHandle,
      body: m.body,
      attributes,
      messageAttributes,
      md5OfBody: m.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.queue.arn,
      awsRegion: this.queue.model.region,
    };
    if (m.md5OfMessageAttributes) (record as any).md5OfMessageAttributes = m.md5OfMessageAttributes;
    return record;
  }

  /** The shape a filter sees: the record, with a JSON body parsed. */
  private filterShape(record: SQSRecord): unknown {
    try {
      return { ...record, body: JSON.parse(record.body) };
    } catch {
      return record;
    }
  }

  private async deliver(batch: SqsMessage[]): Promise<void> {
    const source = `SQS ${this.queue.name}`;
    const records = batch.map((m) => this.record(m));
    const kept: SQSRecord[] = [];
    let dropped = 0;
    for (const r of records) {
      if (this.filters.length === 0 || this.passes(this.filterShape(r))) {kept.push(r);} else {
        this.queue.delete(r.receiptHandle);
        dropped++;
      }
    }
    if (dropped > 0) {
      this.ctx.hooks.onDelivery({ source, functionName: this.functionName, outcome: 'dropped', records: dropped, detail: `${dropped} message(s) did not match the FilterCriteria and were deleted` });
    }
    if (kept.length === 0) return;
    const event: SQSEvent = { Records: kept };
    const outcome = await this.invoke(event);
    const error = errorOf(outcome);
    if (error !== undefined) {
      this.ctx.hooks.onDelivery({
        source,
        functionName: this.functionName,
        outcome: 'error',
        records: kept.length,
        detail: `function error (${error}); the batch returns to the queue after the visibility timeout (${this.visibilityMs / 1000} s)`,
      });
      return;
    }
    let failed: string[] = [];
    if (this.mapping.reportBatchItemFailures) {
      const ids = batchItemFailures(outcome.response);
      const known = new Set(kept.map((r) => r.messageId));
      if (ids === undefined || ids.some((id) => !known.has(id))) {
        this.ctx.hooks.onDelivery({
          source,
          functionName: this.functionName,
          outcome: 'error',
          records: kept.length,
          detail: `invalid batchItemFailures response (${ids === undefined ? 'not a list of { itemIdentifier }' : `unknown itemIdentifier ${ids.find((id) => !known.has(id))}`}); the whole batch returns to the queue`,
        });
        return;
      }
      failed = ids;
    }
    const failedSet = new Set(failed);
    for (const r of kept) if (!failedSet.has(r.messageId)) this.queue.delete(r.receiptHandle);
    this.ctx.hooks.onDelivery(failed.length === 0
      ? { source, functionName: this.functionName, outcome: 'ok', records: kept.length, detail: `batch of ${kept.length} message(s) processed and deleted` }
      : { source, functionName: this.functionName, outcome: 'partial', records: kept.length, detail: `${failed.length} of ${kept.length} message(s) reported as failed return to the queue after the visibility timeout` });
  }
}
