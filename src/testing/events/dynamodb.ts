// DynamoDB stream records (INSERT, MODIFY, REMOVE) as the Lambda event source mapping delivers them.
import { EventFixtureOptions } from './fixture-options';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, SeededValues, eventTime } from './volatile-values';

/**
 * Options for a DynamoDB stream event.
 */
export interface DynamoDbStreamEventOptions extends EventFixtureOptions {
  /**
   * What happened to the item: `INSERT`, `MODIFY` or `REMOVE`.
   * @default 'INSERT'
   */
  readonly eventName?: string;

  /**
   * The table name.
   * @default 'example-table'
   */
  readonly tableName?: string;

  /**
   * The item's key attributes as plain JSON (`{ id: '42' }`); the event carries them as DynamoDB attribute values.
   * @default { id: '101' }
   */
  readonly keys?: any;

  /**
   * The item after the change, as plain JSON. Sent for INSERT and MODIFY.
   * @default - the keys plus `message: 'New item!'`
   */
  readonly newImage?: any;

  /**
   * The item before the change, as plain JSON. Sent for MODIFY and REMOVE.
   * @default - the keys plus `message: 'Old item!'`
   */
  readonly oldImage?: any;

  /**
   * The stream view type: `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
   * @default 'NEW_AND_OLD_IMAGES'
   */
  readonly streamViewType?: string;

  /**
   * The record's event id. Fix it (with `time`) for a deterministic event; the sequence number derives from it.
   * @default - a fresh id
   */
  readonly eventId?: string;
}

const EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'];
const STREAM_VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'];

/** A DynamoDB stream batch of one record. */
export function dynamoDbStreamEvent(options: DynamoDbStreamEventOptions = {}): any {
  return { Records: [dynamoDbStreamRecord(options)] };
}

/** One DynamoDB stream record. */
export function dynamoDbStreamRecord(options: DynamoDbStreamEventOptions = {}): any {
  const eventName = (options.eventName ?? 'INSERT').toUpperCase();
  if (!EVENT_NAMES.includes(eventName)) {
    throw new Error(`Unknown DynamoDB stream eventName '${options.eventName}': expected one of ${EVENT_NAMES.join(', ')}`);
  }
  const streamViewType = (options.streamViewType ?? 'NEW_AND_OLD_IMAGES').toUpperCase();
  if (!STREAM_VIEW_TYPES.includes(streamViewType)) {
    throw new Error(`Unknown streamViewType '${options.streamViewType}': expected one of ${STREAM_VIEW_TYPES.join(', ')}`);
  }
  const ids = SeededValues.fromId(options.eventId);
  const time = eventTime(options.time);
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  const tableName = options.tableName ?? 'example-table';
  const keys = options.keys ?? { id: '101' };

  const change: Record<string, unknown> = {
    ApproximateCreationDateTime: Math.floor(time.getTime() / 1000),
    Keys: marshallItem(keys),
  };
  const sendsNew = streamViewType === 'NEW_IMAGE' || streamViewType === 'NEW_AND_OLD_IMAGES';
  const sendsOld = streamViewType === 'OLD_IMAGE' || streamViewType === 'NEW_AND_OLD_IMAGES';
  if (sendsNew && eventName !== 'REMOVE') {
    change.NewImage = marshallItem(options.newImage ?? { ...keys, message: 'New item!' });
  }
  if (sendsOld && eventName !== 'INSERT') {
    change.OldImage = marshallItem(options.oldImage ?? { ...keys, message: 'Old item!' });
  }
  change.SequenceNumber = ids.digits('sequence-number', 21);
  change.SizeBytes = Buffer.byteLength(JSON.stringify([change.Keys, change.NewImage, change.OldImage]));
  change.StreamViewType = streamViewType;

  // The stream label is when the stream was enabled; a day before the event reads plausibly.
  const streamLabel = new Date(time.getTime() - 86_400_000).toISOString().replace(/Z$/, '');
  return {
    eventID: options.eventId ?? ids.hex('event-id', 32),
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: change,
    eventSourceARN: `arn:aws:dynamodb:${region}:${account}:table/${tableName}/stream/${streamLabel}`,
  };
}

/** Converts a plain JSON object into DynamoDB attribute values (`{ id: 1 }` becomes `{ id: { N: '1' } }`). */
export function marshallItem(item: any): Record<string, unknown> {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new Error(`A DynamoDB item must be a JSON object, got ${JSON.stringify(item)}`);
  }
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, marshallValue(value)]));
}

function marshallValue(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { L: value.map(marshallValue) };
  if (typeof value === 'object') return { M: marshallItem(value) };
  throw new Error(`Cannot represent ${typeof value} as a DynamoDB attribute value`);
}
