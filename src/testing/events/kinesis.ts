// Kinesis data stream records as the Lambda event source mapping delivers them (data base64-encoded).
import { EventFixtureOptions } from './fixture-options';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, SeededValues, eventTime } from './volatile-values';

/**
 * Options for a Kinesis data stream event.
 */
export interface KinesisEventOptions extends EventFixtureOptions {
  /**
   * The record payload as text; the event carries it base64-encoded.
   * @default 'Hello from Kinesis!'
   */
  readonly data?: string;

  /**
   * The partition key.
   * @default 'partition-1'
   */
  readonly partitionKey?: string;

  /**
   * The stream name.
   * @default 'example-stream'
   */
  readonly streamName?: string;

  /**
   * The record's sequence number. Fix it (with `time`) for a deterministic event.
   * @default - a fresh 56-digit sequence number
   */
  readonly sequenceNumber?: string;
}

/** A Kinesis batch of one record. */
export function kinesisEvent(options: KinesisEventOptions = {}): any {
  const ids = SeededValues.fromId(options.sequenceNumber);
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  const sequenceNumber = options.sequenceNumber ?? ids.digits('sequence-number', 56);
  return {
    Records: [
      {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: options.partitionKey ?? 'partition-1',
          sequenceNumber,
          data: Buffer.from(options.data ?? 'Hello from Kinesis!', 'utf8').toString('base64'),
          approximateArrivalTimestamp: eventTime(options.time).getTime() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: `arn:aws:iam::${account}:role/lambda-kinesis-role`,
        awsRegion: region,
        eventSourceARN: `arn:aws:kinesis:${region}:${account}:stream/${options.streamName ?? 'example-stream'}`,
      },
    ],
  };
}
