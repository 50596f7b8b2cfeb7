// `Events`: the public, jsii-friendly entry to the event fixtures, one static factory per trigger.
import { ApiGatewayV1EventOptions, ApiGatewayV2EventOptions, FunctionUrlEventOptions, apiGatewayV1Event, apiGatewayV2Event, functionUrlEvent } from './events/api-gateway';
import { CognitoTriggerEventOptions, cognitoPostConfirmationEvent, cognitoPreSignUpEvent } from './events/cognito';
import { DynamoDbStreamEventOptions, dynamoDbStreamEvent } from './events/dynamodb';
import { EventBridgeEventOptions, ScheduledEventOptions, eventBridgeEvent, scheduledEvent } from './events/eventbridge';
import { KinesisEventOptions, kinesisEvent } from './events/kinesis';
import { S3EventOptions, s3DeleteEvent, s3PutEvent } from './events/s3';
import { SnsEventOptions, snsNotificationEvent } from './events/sns';
import { SqsEventOptions, sqsMessageEvent } from './events/sqs';

/**
 * Sample events shaped exactly like the ones AWS services send to Lambda, for tests and local invokes.
 *
 * Each factory returns a plain JSON object. Ids, ARNs and timestamps are realistic and derived from the
 * options (account `123456789012` and region `us-east-1` unless given). Pass the event's id and `time`
 * to get the same event on every call; leave them out to get fresh ones.
 *
 * @example
 * const event = Events.s3Put({ bucket: 'uploads', key: 'photos/cat 1.jpg', size: 2048 });
 */
export class Events {
  /** An S3 `ObjectCreated:Put` notification. */
  public static s3Put(options: S3EventOptions = {}): any {
    return s3PutEvent(options);
  }

  /** An S3 `ObjectRemoved:Delete` notification. */
  public static s3Delete(options: S3EventOptions = {}): any {
    return s3DeleteEvent(options);
  }

  /** A message received from an SQS queue. */
  public static sqsMessage(options: SqsEventOptions = {}): any {
    return sqsMessageEvent(options);
  }

  /** An SNS notification. */
  public static snsNotification(options: SnsEventOptions = {}): any {
    return snsNotificationEvent(options);
  }

  /** A custom event from an EventBridge bus. */
  public static eventBridge(options: EventBridgeEventOptions = {}): any {
    return eventBridgeEvent(options);
  }

  /** The event a scheduled (rate or cron) EventBridge rule sends. */
  public static scheduled(options: ScheduledEventOptions = {}): any {
    return scheduledEvent(options);
  }

  /** An API Gateway REST API proxy request (`aws-proxy`, payload format 1.0). */
  public static apiGatewayV1(options: ApiGatewayV1EventOptions = {}): any {
    return apiGatewayV1Event(options);
  }

  /** An API Gateway HTTP API proxy request (payload format 2.0). */
  public static apiGatewayV2(options: ApiGatewayV2EventOptions = {}): any {
    return apiGatewayV2Event(options);
  }

  /** A Lambda function URL request. */
  public static functionUrl(options: FunctionUrlEventOptions = {}): any {
    return functionUrlEvent(options);
  }

  /** A DynamoDB stream record (INSERT, MODIFY or REMOVE). */
  public static dynamoDbStream(options: DynamoDbStreamEventOptions = {}): any {
    return dynamoDbStreamEvent(options);
  }

  /** A Kinesis data stream record. */
  public static kinesis(options: KinesisEventOptions = {}): any {
    return kinesisEvent(options);
  }

  /** A Cognito user pool pre sign-up trigger. */
  public static cognitoPreSignUp(options: CognitoTriggerEventOptions = {}): any {
    return cognitoPreSignUpEvent(options);
  }

  /** A Cognito user pool post confirmation trigger. */
  public static cognitoPostConfirmation(options: CognitoTriggerEventOptions = {}): any {
    return cognitoPostConfirmationEvent(options);
  }

  private constructor() {}
}
