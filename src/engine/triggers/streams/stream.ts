// An emulated Kinesis stream (shards chosen by the MD5 hash of the partition key, sequence numbers that grow) or
// DynamoDB stream (item changes as DynamoDB JSON, per the table's StreamViewType) — the records that pollers read.
import * as crypto from 'crypto';
import type { DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import { StreamModel } from '../../../model/triggers-poll';
import type { EmulatedStream, StreamPutInput } from '../poll-sources';
import { TriggerClock } from '../trigger-clock';

/** Records stay this long (Kinesis's and DynamoDB's default retention: 24 hours). */
export const STREAM_RETENTION_MS = 24 * 3600_000;

export interface StreamRecord {
  readonly sequenceNumber: string;
  /** Epoch ms. */
  readonly arrival: number;
  /** The record as the event carries it (without the function's invokeIdentityArn). */
  readonly event: KinesisStreamRecord | DynamoDBRecord;
}

export interface Shard {
  readonly shardId: string;
  readonly records: StreamRecord[];
}

const HASH_SPACE = 2n ** 128n;

export class EmulatedStreamImpl implements EmulatedStream {
  public readonly name: string;
  public readonly arn: string;
  public readonly kind: string;
  public readonly refs: readonly string[];
  public readonly shards: Shard[];
  private sequence = 0n;
  private readonly listeners: Array<() => void> = [];

  constructor(public readonly model: StreamModel, private readonly clock: TriggerClock) {
    this.name = model.name;
    this.arn = model.arn;
    this.kind = model.kind;
    this.refs = [model.name, model.arn, model.tableArn, model.logicalId, model.constructId, model.constructPath]
      .filter((x): x is string => x !== undefined);
    this.shards = Array.from({ length: model.shardCount }, (_, i) => ({
      shardId: model.kind === 'kinesis' ? `shardId-${String(i).padStart(12, '0')}` : `shardId-00000001700000000000-${String(i).padStart(8, '0')}`,
      records: [],
    }));
  }

  public onChange(fn: () => void): void {
    this.listeners.push(fn);
  }

  public put(records: readonly StreamPutInput[]): string[] {
    const built = records.map((r, i) => (this.model.kind === 'kinesis' ? this.kinesisRecord(r, i) : this.dynamoRecord(r, i)));
    for (const { shard, record } of built) shard.records.push(record);
    for (const fn of this.listeners) fn();
    return built.map((b) => b.record.sequenceNumber);
  }

  private nextSequence(): string {
    this.sequence += 1n;
    // Kinesis sequence numbers are long decimal strings that grow within a shard; DynamoDB's are shorter.
    return this.model.kind === 'kinesis'
      ? `4959${String(this.sequence).padStart(52, '0')}`
      : String(100_000_000_000_000_000_000n + this.sequence);
  }

  private kinesisRecord(r: StreamPutInput, i: number): { shard: Shard; record: StreamRecord } {
    if (typeof r?.partitionKey !== 'string' || r.partitionKey.length === 0 || r.partitionKey.length > 256) {
      throw new Error(`PutRecords to Kinesis stream ${this.name}: record ${i} needs a partitionKey of 1 to 256 characters`);
    }
    if (typeof r.data !== 'string') throw new Error(`PutRecords to Kinesis stream ${this.name}: record ${i} needs data (text)`);
    const hash = BigInt('0x' + crypto.createHash('md5').update(r.partitionKey, 'utf8').digest('hex'));
    const shard = this.shards[Number((hash * BigInt(this.shards.length)) / HASH_SPACE)];
    const now = this.clock.now();
    const sequenceNumber = this.nextSequence();
    const event: KinesisStreamRecord = {
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.partitionKey,
        sequenceNumber,
        data: Buffer.from(r.data, 'utf8').toString('base64'),
        approximateArrivalTimestamp: now / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${shard.shardId}:${sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: '',
      awsRegion: this.model.region,
      eventSourceARN: this.arn,
    };
    return { shard, record: { sequenceNumber, arrival: now, event } };
  }

  private dynamoRecord(r: StreamPutInput, i: number): { shard: Shard; record: StreamRecord } {
    const where = `DynamoDB stream of table ${this.name}: record ${i}`;
    const eventName = r?.eventName ?? (r?.newImage !== undefined && r?.oldImage !== undefined ? 'MODIFY' : r?.newImage !== undefined ? 'INSERT' : 'REMOVE');
    if (!['INSERT', 'MODIFY', 'REMOVE'].includes(eventName)) throw new Error(`${where}: eventName must be INSERT, MODIFY or REMOVE, got ${JSON.stringify(eventName)}`);
    if (eventName !== 'REMOVE' && (r.newImage === undefined || typeof r.newImage !== 'object')) throw new Error(`${where}: ${eventName} needs newImage (the item after the change)`);
    if (eventName === 'MODIFY' && (r.oldImage === undefined || typeof r.oldImage !== 'object')) throw new Error(`${where}: MODIFY needs oldImage (the item before the change)`);
    const item = r.newImage ?? r.oldImage;
    const keyNames = this.model.keyAttributes ?? [];
    let keys = r.keys;
    if (keys === undefined) {
      if (!item) throw new Error(`${where}: give keys, or an image to take the key (${keyNames.join(', ') || 'the table\'s key'}) from`);
      keys = Object.fromEntries(keyNames.map((k) => {
        if (item[k] === undefined) throw new Error(`${where}: the item has no key attribute '${k}' (the table's key is ${keyNames.join(', ')})`);
        return [k, item[k]];
      }));
    }
    const view = this.model.streamViewType ?? 'NEW_AND_OLD_IMAGES';
    const now = this.clock.now();
    const sequenceNumber = this.nextSequence();
    const dynamodb: NonNullable<DynamoDBRecord['dynamodb']> = {
      ApproximateCreationDateTime: Math.floor(now / 1000),
      Keys: marshallItem(keys),
      SequenceNumber: sequenceNumber,
      SizeBytes: 0,
      StreamViewType: view as any,
    };
    if ((view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && r.newImage !== undefined) dynamodb.NewImage = marshallItem(r.newImage);
    if ((view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') && r.oldImage !== undefined) dynamodb.OldImage = marshallItem(r.oldImage);
    dynamodb.SizeBytes = Buffer.byteLength(JSON.stringify([dynamodb.Keys, dynamodb.NewImage ?? null, dynamodb.OldImage ?? null]), 'utf8');
    const event: DynamoDBRecord = {
      eventID: crypto.randomBytes(16).toString('hex'),
      eventName: eventName as DynamoDBRecord['eventName'],
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: this.model.region,
      dynamodb,
      eventSourceARN: this.arn,
    };
    return { shard: this.shards[0], record: { sequenceNumber, arrival: now, event } };
  }
}

/** Plain JSON → DynamoDB JSON (`{S}`, `{N}`, `{BOOL}`, `{NULL}`, `{L}`, `{M}`). */
export function marshall(value: any): any {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Buffer.isBuffer(value)) return { B: value.toString('base64') };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  if (typeof value === 'object') return { M: marshallItem(value) };
  throw new Error(`cannot store ${typeof value} in a DynamoDB item`);
}

export function marshallItem(item: any): Record<string, any> {
  if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error(`a DynamoDB item must be a JSON object, got ${JSON.stringify(item)}`);
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined).map(([k, v]) => [k, marshall(v)]));
}
