// Poll-based triggers: SQS queues, Kinesis streams, DynamoDB streams and the event source mappings that connect them
// to functions (issue 14, queues work). Every field is a readonly list (stacks merge by concatenation).

/** Where a poll resource came from in the app. */
export interface PollResourceOrigin {
  readonly stackName: string;
  readonly logicalId: string;
  readonly constructPath?: string;
  readonly constructId?: string;
}

/** The redrive policy of a queue: where messages go after `maxReceiveCount` receives. */
export interface RedrivePolicyModel {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

/** An `AWS::SQS::Queue`. */
export interface QueueModel extends PollResourceOrigin {
  readonly name: string;
  readonly arn: string;
  readonly url: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  /** Seconds (default 30). */
  readonly visibilityTimeoutSeconds: number;
  /** Seconds (default 345600, four days). */
  readonly messageRetentionPeriodSeconds: number;
  readonly delaySeconds: number;
  readonly redrivePolicy?: RedrivePolicyModel;
  readonly region: string;
  readonly accountId: string;
}

/** A Kinesis stream, or the stream of a DynamoDB table. */
export interface StreamModel extends PollResourceOrigin {
  /** `kinesis` or `dynamodb`. */
  readonly kind: 'kinesis' | 'dynamodb';
  /** The stream's name (Kinesis) or the table's name (DynamoDB). */
  readonly name: string;
  /** The stream's ARN (for DynamoDB, the table's stream ARN `…:table/T/stream/<label>`). */
  readonly arn: string;
  /** DynamoDB: the table's ARN. */
  readonly tableArn?: string;
  readonly shardCount: number;
  /** DynamoDB: KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES. */
  readonly streamViewType?: string;
  /** DynamoDB: the key attribute names (hash, then range). */
  readonly keyAttributes?: readonly string[];
  readonly region: string;
  readonly accountId: string;
}

/** An `AWS::Lambda::EventSourceMapping` whose source the twin emulates. */
export interface EventSourceMappingModel extends PollResourceOrigin {
  /** The function (by stack and logical id) and the qualifier the mapping names, if any. */
  readonly functionStackName: string;
  readonly functionLogicalId: string;
  readonly qualifier?: string;
  readonly eventSourceArn: string;
  /** `sqs`, `kinesis` or `dynamodb`. */
  readonly sourceKind: 'sqs' | 'kinesis' | 'dynamodb';
  readonly enabled: boolean;
  readonly batchSize: number;
  readonly maximumBatchingWindowSeconds: number;
  readonly reportBatchItemFailures: boolean;
  /** FilterCriteria.Filters[].Pattern, parsed (OR-ed). */
  readonly filters: readonly any[];
  readonly maximumConcurrency?: number;
  /** Streams: TRIM_HORIZON, LATEST or AT_TIMESTAMP. */
  readonly startingPosition?: string;
  /** AT_TIMESTAMP: epoch seconds. */
  readonly startingPositionTimestamp?: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1 = retry until the record expires. */
  readonly maximumRetryAttempts: number;
  /** -1 = no limit. */
  readonly maximumRecordAgeSeconds: number;
  readonly parallelizationFactor: number;
  readonly onFailureDestination?: string;
  /** Loader notes on this mapping (values clamped, properties not emulated). */
  readonly notes: readonly string[];
}

export interface PollSourcesModel {
  readonly queues: readonly QueueModel[];
  readonly streams: readonly StreamModel[];
  readonly eventSourceMappings: readonly EventSourceMappingModel[];
  /** Problems found while reading queues, streams and mappings (said as warnings). */
  readonly pollWarnings: readonly string[];
}

export const EMPTY_POLL_SOURCES: PollSourcesModel = { queues: [], streams: [], eventSourceMappings: [], pollWarnings: [] };

/** Resource types the poll loaders model. */
export const POLL_SOURCE_TYPES: readonly string[] = ['AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::Kinesis::Stream', 'AWS::DynamoDB::Table'];
