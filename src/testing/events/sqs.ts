// SQS messages as the Lambda event source mapping delivers them (a `Records` batch of one message).
import { createHash } from 'crypto';
import { EventFixtureOptions } from './fixture-options';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, SeededValues, eventTime, md5Hex } from './volatile-values';

/**
 * Options for an SQS message event.
 */
export interface SqsEventOptions extends EventFixtureOptions {
  /**
   * The message body.
   * @default 'Hello from SQS!'
   */
  readonly body?: string;

  /**
   * The queue ARN. A name ending in `.fifo` adds the FIFO attributes (`MessageGroupId`, `SequenceNumber`, ...).
   * @default - arn:aws:sqs:<region>:<account>:example-queue
   */
  readonly queueArn?: string;

  /**
   * String message attributes, name to value.
   * @default - no message attributes
   */
  readonly messageAttributes?: { [name: string]: string };

  /**
   * The message id. Fix it (with `time`) for a deterministic event; the receipt handle derives from it.
   * @default - a fresh UUID
   */
  readonly messageId?: string;

  /**
   * How many times the message has been received.
   * @default 1
   */
  readonly receiveCount?: number;

  /**
   * The message group, for FIFO queues.
   * @default '1'
   */
  readonly messageGroupId?: string;
}

/** A received SQS message. */
export function sqsMessageEvent(options: SqsEventOptions = {}): any {
  const ids = SeededValues.fromId(options.messageId);
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  const queueArn = options.queueArn ?? `arn:aws:sqs:${region}:${account}:example-queue`;
  const body = options.body ?? 'Hello from SQS!';
  const sentAt = eventTime(options.time).getTime();

  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(options.receiveCount ?? 1),
    SentTimestamp: String(sentAt),
    SenderId: `AIDA${ids.alphanumeric('sender', 17).toUpperCase()}`,
    ApproximateFirstReceiveTimestamp: String(sentAt + 5),
  };
  if (queueArn.endsWith('.fifo')) {
    attributes.SequenceNumber = ids.digits('sequence-number', 20);
    attributes.MessageGroupId = options.messageGroupId ?? '1';
    attributes.MessageDeduplicationId = ids.hex('deduplication-id', 64);
  }

  const messageAttributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options.messageAttributes ?? {})) {
    messageAttributes[name] = { stringValue: value, stringListValues: [], binaryListValues: [], dataType: 'String' };
  }

  const record: Record<string, unknown> = {
    messageId: options.messageId ?? ids.uuid('message-id'),
    receiptHandle: `AQEB${ids.base64('receipt-handle', 120)}`,
    body,
    attributes,
    messageAttributes,
    md5OfBody: md5Hex(body),
  };
  if (Object.keys(messageAttributes).length > 0) {
    record.md5OfMessageAttributes = md5OfStringAttributes(options.messageAttributes ?? {});
  }
  record.eventSource = 'aws:sqs';
  record.eventSourceARN = queueArn;
  record.awsRegion = region;
  return { Records: [record] };
}

/**
 * The MD5 SQS computes over message attributes: for each attribute in name order, the length-prefixed
 * name, data type, a transport byte (1 = string) and the length-prefixed value.
 */
export function md5OfStringAttributes(attributes: { [name: string]: string }): string {
  const hash = createHash('md5');
  const lengthPrefixed = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    lengthPrefixed(name);
    lengthPrefixed('String');
    hash.update(Buffer.from([1]));
    lengthPrefixed(attributes[name]);
  }
  return hash.digest('hex');
}
