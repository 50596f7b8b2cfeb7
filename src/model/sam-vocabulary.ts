// The one table of how SAM's vocabulary maps onto CloudFormation's for what lambda-twin reads and writes: which
// function and layer properties SAM passes through unchanged, and which event types stand for which event-source
// resources. The SAM renderer (src/sam/render-sam.ts) and the SAM expansion (src/load/expand-sam.ts) both read it, so
// a property or event type added here is rendered and loaded alike.

/** The transform that makes a template a SAM template. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/**
 * `AWS::Lambda::Function` properties that `AWS::Serverless::Function` takes under the same name and with the same
 * shape. (Renamed ones: `Code` ↔ `CodeUri`/`InlineCode`/`ImageUri`, `TracingConfig.Mode` ↔ `Tracing`, `Tags` list ↔
 * map, `DeadLetterConfig` ↔ `DeadLetterQueue`, `Role` ↔ `Role`/`Policies`.)
 */
export const SAM_FUNCTION_PASS_THROUGH: readonly string[] = [
  'Architectures', 'Description', 'Environment', 'EphemeralStorage', 'FileSystemConfigs', 'FunctionName', 'Handler',
  'ImageConfig', 'KmsKeyArn', 'Layers', 'LoggingConfig', 'MemorySize', 'PackageType', 'RecursiveLoop',
  'ReservedConcurrentExecutions', 'Runtime', 'RuntimeManagementConfig', 'SnapStart', 'Timeout', 'VpcConfig',
  'CodeSigningConfigArn', 'TenancyConfig', 'DurableConfig', 'CapacityProviderConfig', 'FunctionScalingConfig',
  'PublishToLatestPublished',
];

/** `AWS::Lambda::LayerVersion` properties that `AWS::Serverless::LayerVersion` takes unchanged (`Content` ↔ `ContentUri`). */
export const SAM_LAYER_PASS_THROUGH: readonly string[] = ['CompatibleRuntimes', 'CompatibleArchitectures', 'Description', 'LayerName', 'LicenseInfo'];

/** The event source mapping properties SAM's Kinesis and DynamoDB events take. */
const STREAM_EVENT_PROPERTIES = [
  'BatchSize', 'BisectBatchOnFunctionError', 'DestinationConfig', 'Enabled', 'FilterCriteria', 'FunctionResponseTypes',
  'MaximumBatchingWindowInSeconds', 'MaximumRecordAgeInSeconds', 'MaximumRetryAttempts', 'ParallelizationFactor',
  'StartingPosition', 'StartingPositionTimestamp', 'TumblingWindowInSeconds',
];

export interface SamPollEvent {
  /** The event property holding the source's ARN (becomes the mapping's `EventSourceArn`); '' when it has none. */
  readonly sourceProperty: string;
  /** The CloudFormation resource the source usually is, and the attribute of it that is the ARN (for rendering). */
  readonly sourceResource?: { readonly type: string; readonly attribute: string };
  /** The `AWS::Lambda::EventSourceMapping` properties the event takes under the same name. */
  readonly properties: readonly string[];
}

/** Poll-based SAM event types: each becomes an `AWS::Lambda::EventSourceMapping` (no resource-based permission). */
export const SAM_POLL_EVENTS: Readonly<Record<string, SamPollEvent>> = {
  SQS: {
    sourceProperty: 'Queue',
    sourceResource: { type: 'AWS::SQS::Queue', attribute: 'Arn' },
    properties: ['BatchSize', 'Enabled', 'FilterCriteria', 'FunctionResponseTypes', 'MaximumBatchingWindowInSeconds', 'ScalingConfig'],
  },
  Kinesis: { sourceProperty: 'Stream', sourceResource: { type: 'AWS::Kinesis::Stream', attribute: 'Arn' }, properties: STREAM_EVENT_PROPERTIES },
  DynamoDB: { sourceProperty: 'Stream', sourceResource: { type: 'AWS::DynamoDB::Table', attribute: 'StreamArn' }, properties: STREAM_EVENT_PROPERTIES },
  MSK: { sourceProperty: 'Stream', properties: ['BatchSize', 'Enabled', 'FilterCriteria', 'StartingPosition', 'StartingPositionTimestamp', 'MaximumBatchingWindowInSeconds', 'Topics', 'DestinationConfig'] },
  MQ: { sourceProperty: 'Broker', properties: ['BatchSize', 'Enabled', 'FilterCriteria', 'MaximumBatchingWindowInSeconds', 'Queues'] },
  DocumentDB: { sourceProperty: 'Cluster', properties: ['BatchSize', 'Enabled', 'FilterCriteria', 'StartingPosition', 'StartingPositionTimestamp', 'MaximumBatchingWindowInSeconds'] },
  SelfManagedKafka: { sourceProperty: '', properties: ['BatchSize', 'Enabled', 'FilterCriteria', 'StartingPosition', 'StartingPositionTimestamp', 'Topics'] },
};

/** The SAM poll event type whose source is a resource of `resourceType` (e.g. `AWS::SQS::Queue` → `SQS`). */
export function samPollEventOfSource(resourceType: string): string | undefined {
  return Object.keys(SAM_POLL_EVENTS).find((type) => SAM_POLL_EVENTS[type].sourceResource?.type === resourceType);
}

/** `AWS::SNS::Subscription` properties SAM's SNS event takes unchanged (besides `Topic` ↔ `TopicArn`). */
export const SAM_SNS_EVENT_PROPERTIES: readonly string[] = ['FilterPolicy', 'FilterPolicyScope', 'Region'];
