// The testing kit's public API: sample events (`Events`) and snapshot masking (`Snapshot`).
// The jest serializer is internal to jsii: import it from `lambda-twin/lib/testing/snapshot`.
export * from './event-fixtures';
export * from './events/fixture-options';
export { S3EventOptions } from './events/s3';
export { SqsEventOptions } from './events/sqs';
export { SnsEventOptions } from './events/sns';
export { EventBridgeEventOptions, ScheduledEventOptions } from './events/eventbridge';
export { HttpRequestEventOptions, ApiGatewayV1EventOptions, ApiGatewayV2EventOptions, FunctionUrlEventOptions } from './events/api-gateway';
export { DynamoDbStreamEventOptions } from './events/dynamodb';
export { KinesisEventOptions } from './events/kinesis';
export { CognitoTriggerEventOptions } from './events/cognito';
export { Snapshot } from './snapshot-api';
