// One emulated SQS queue: messages with their ids, receipt handles, timestamps and receive counts, visibility
// timeouts, delays, retention, redrive to a dead-letter queue after maxReceiveCount, and FIFO semantics (order per
// message group, one group's messages in flight at a time, 5-minute deduplication, sequence numbers).
import * as crypto from 'crypto';
import { QueueModel } from '../../../model/triggers-poll';
import type { EmulatedQueue, QueueMessageView, QueueSendInput } from '../poll-sources';
import { TriggerClock } from '../trigger-clock';

const DEDUPLICATION_INTERVAL_MS = 5 * 60_000;
/** The SenderId of messages the twin sends (an IAM user id's shape). */
export const LOCAL_SENDER_ID = 'AIDALAMBDATWINLOCAL00';

export interface SqsMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly messageAttributes: Readonly<Record<string, string>>;
  readonly sentTimestamp: number;
  readonly groupId?: string;
  readonly deduplicationId?: string;
  readonly sequenceNumber?: string;
  receiptHandle: string;
  receiveCount: number;
  firstReceiveTimestamp?: number;
  /** When the message is (again) visible. */
  visibleAt: number;
  /** Received and not yet deleted (in flight until `visibleAt`). */
  received: boolean;
  /** Deleted, moved or expired (dropped from the list at the next compaction). */
  gone?: boolean;
}

export class SqsQueue implements EmulatedQueue {
  public readonly name: string;
  public readonly arn: string;
  public readonly url: string;
  public readonly fifo: boolean;
  public readonly refs: readonly string[];
  private list: SqsMessage[] = [];
  private goneCount = 0;
  private readonly byHandle = new Map<string, SqsMessage>();
  private readonly dedup = new Map<string, { messageId: string; at: number }>();
  private sequence = 0n;
  private readonly listeners: Array<() => void> = [];
  private readonly wakeTimers = new Map<number, () => void>();

  constructor(public readonly model: QueueModel, private readonly clock: TriggerClock,
    /** Moves a message that was received maxReceiveCount times to the dead-letter queue; false when there is none. */
    private readonly redrive: (arn: string, message: SqsMessage) => boolean,
    private readonly warn: (message: string) => void) {
    this.name = model.name;
    this.arn = model.arn;
    this.url = model.url;
    this.fifo = model.fifo;
    this.refs = [model.name, model.arn, model.url, model.logicalId, model.constructId, model.constructPath]
      .filter((x): x is string => x !== undefined);
  }

  /** Calls `fn` whenever messages may have become receivable (a send, a visibility timeout or delay ending). */
  public onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  public send(input: QueueSendInput): string {
    if (typeof input?.body !== 'string' || input.body.length === 0) {
      throw new Error(`SendMessage to ${this.name}: the message body must be a non-empty string`);
    }
    if (Buffer.byteLength(input.body, 'utf8') > 262_144) {
      throw new Error(`SendMessage to ${this.name}: the message is ${Buffer.byteLength(input.body, 'utf8')} bytes; SQS allows 262,144 (256 KiB)`);
    }
    const now = this.clock.now();
    let deduplicationId: string | undefined;
    if (this.fifo) {
      if (!input.groupId) throw new Error(`SendMessage to FIFO queue ${this.name}: MessageGroupId (groupId) is required`);
      if (input.delaySeconds !== undefined && input.delaySeconds !== 0) {
        throw new Error(`SendMessage to FIFO queue ${this.name}: per-message DelaySeconds is not valid on FIFO queues; set the queue's DelaySeconds instead`);
      }
      deduplicationId = input.deduplicationId
        ?? (this.model.contentBasedDeduplication ? crypto.createHash('sha256').update(input.body).digest('hex') : undefined);
      if (!deduplicationId) {
        throw new Error(`SendMessage to FIFO queue ${this.name}: give a MessageDeduplicationId (deduplicationId), or set ContentBasedDeduplication on the queue`);
      }
      const seen = this.dedup.get(deduplicationId);
      if (seen && now - seen.at < DEDUPLICATION_INTERVAL_MS) return seen.messageId;
    } else if (input.groupId !== undefined || input.deduplicationId !== undefined) {
      throw new Error(`SendMessage to ${this.name}: MessageGroupId and MessageDeduplicationId are valid on FIFO queues only`);
    }
    const delay = input.delaySeconds ?? this.model.delaySeconds;
    if (!(delay >= 0 && delay <= 900)) throw new Error(`SendMessage to ${this.name}: DelaySeconds must be 0 to 900, got ${delay}`);
    const messageId = crypto.randomUUID();
    const attributes = { ...(input.attributes ?? {}) };
    const message: SqsMessage = {
      messageId,
      body: input.body,
      md5OfBody: crypto.createHash('md5').update(input.body, 'utf8').digest('hex'),
      md5OfMessageAttributes: md5OfMessageAttributes(attributes),
      messageAttributes: attributes,
      sentTimestamp: now,
      groupId: this.fifo ? input.groupId : undefined,
      deduplicationId,
      sequenceNumber: this.fifo ? String(++this.sequence + 18_000_000_000_000_000_000n).padStart(20, '0') : undefined,
      receiptHandle: '',
      receiveCount: 0,
      visibleAt: now + delay * 1000,
      received: false,
    };
    if (deduplicationId) this.dedup.set(deduplicationId, { messageId, at: now });
    this.list.push(message);
    if (message.visibleAt > now) this.wakeAt(message.visibleAt);
    else this.changed();
    return messageId;
  }

  /** Puts a message moved from another queue (redrive) at the end of this one, keeping its id, body and attributes. */
  public accept(moved: SqsMessage): void {
    const now = this.clock.now();
    this.list.push({
      ...moved,
      receiptHandle: '',
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      visibleAt: now,
      received: false,
      groupId: this.fifo ? moved.groupId ?? 'redrive' : undefined,
      sequenceNumber: this.fifo ? String(++this.sequence + 18_000_000_000_000_000_000n).padStart(20, '0') : undefined,
      deduplicationId: this.fifo ? moved.deduplicationId ?? moved.messageId : undefined,
    });
    this.changed();
  }

  public messages(): QueueMessageView[] {
    const now = this.clock.now();
    return this.list.filter((m) => !m.gone).map((m) => ({
      messageId: m.messageId,
      body: m.body,
      attributes: m.messageAttributes,
      receiveCount: m.receiveCount,
      state: m.visibleAt > now ? (m.received ? 'in-flight' : 'delayed') : 'visible',
      groupId: m.groupId,
    }));
  }

  /** How many messages (up to `limit`) could be received now, moving expired ones out and redriving spent ones. */
  public receivableCount(limit: number = Number.MAX_SAFE_INTEGER): number {
    return this.candidates(limit).length;
  }

  /**
   * Receives up to `max` messages: each becomes invisible for `visibilityMs`, its receive count grows and it gets a
   * new receipt handle. FIFO: in order per group, and not from a group that has a message in flight.
   */
  public receive(max: number, visibilityMs: number): SqsMessage[] {
    const now = this.clock.now();
    const picked = this.candidates(max);
    for (const m of picked) {
      m.receiveCount += 1;
      m.firstReceiveTimestamp ??= now;
      if (m.receiptHandle) this.byHandle.delete(m.receiptHandle);
      m.receiptHandle = receiptHandle(m.messageId);
      this.byHandle.set(m.receiptHandle, m);
      m.received = true;
      m.visibleAt = now + visibilityMs;
    }
    if (picked.length > 0) this.wakeAt(now + visibilityMs);
    return picked;
  }

  /** Deletes a message by receipt handle (a stale handle of a message received again since does nothing). */
  public delete(handle: string): boolean {
    const m = this.byHandle.get(handle);
    if (!m || m.gone) return false;
    this.remove(m);
    // A FIFO group may have been waiting on it.
    if (this.fifo) this.changed();
    return true;
  }

  private remove(m: SqsMessage): void {
    m.gone = true;
    this.byHandle.delete(m.receiptHandle);
    this.goneCount++;
    if (this.goneCount > 256 && this.goneCount * 2 > this.list.length) {
      this.list = this.list.filter((x) => !x.gone);
      this.goneCount = 0;
    }
  }

  /** The messages that could be received now, oldest first (expired ones deleted, spent ones redriven on the way). */
  private candidates(max: number): SqsMessage[] {
    const now = this.clock.now();
    const out: SqsMessage[] = [];
    const blockedGroups = new Set<string>();
    const retention = this.model.messageRetentionPeriodSeconds * 1000;
    const maxReceives = this.model.redrivePolicy?.maxReceiveCount;
    const list = this.list; // remove() may compact into a new array; this one stays whole
    for (const m of list) {
      if (out.length >= max) break;
      if (m.gone) continue;
      const visible = m.visibleAt <= now;
      if (now - m.sentTimestamp >= retention) {
        this.remove(m);
        this.warn(`SQS ${this.name}: message ${m.messageId} passed the queue's retention period (${this.model.messageRetentionPeriodSeconds} s) and was deleted`);
        continue;
      }
      if (visible && maxReceives !== undefined && m.receiveCount >= maxReceives
        && this.redrive(this.model.redrivePolicy!.deadLetterTargetArn, m)) {
        this.remove(m);
        continue;
      }
      if (this.fifo) {
        const group = m.groupId!;
        if (blockedGroups.has(group)) continue;
        // A group with a message in flight (or still delayed, ahead in line) gives nothing until it is done.
        if (!visible) {
          blockedGroups.add(group);
          continue;
        }
      } else if (!visible) {
        continue;
      }
      out.push(m);
    }
    return out;
  }

  private wakeAt(at: number): void {
    if (this.wakeTimers.has(at)) return;
    const cancel = this.clock.at(at, () => {
      this.wakeTimers.delete(at);
      this.changed();
    }, 'timer');
    this.wakeTimers.set(at, cancel);
  }

  /** Cancels pending timers (the twin stops). */
  public close(): void {
    for (const cancel of this.wakeTimers.values()) cancel();
    this.wakeTimers.clear();
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }
}

function receiptHandle(messageId: string): string {
  return Buffer.from(`${messageId}:${crypto.randomBytes(24).toString('hex')}`).toString('base64');
}

/**
 * SQS's MD5 of message attributes: for each attribute by name, the name, the data type and the value, each
 * length-prefixed (4 bytes, big-endian), with a transport byte (1 = string) before the value. None: undefined.
 */
export function md5OfMessageAttributes(attributes: Readonly<Record<string, string>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const field = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of names) {
    field(name);
    field('String');
    parts.push(Buffer.from([1]));
    field(attributes[name]);
  }
  return crypto.createHash('md5').update(Buffer.concat(parts)).digest('hex');
}
