// Push triggers: S3 bucket notifications, SNS topics and subscriptions, EventBridge buses, rules and schedules,
// EventBridge Scheduler schedules (issue 14, push work), as the loader reads them from a template. Every field of
// PushSourcesModel is a readonly list (stacks merge by concatenation). Functions are the FunctionSpec objects the
// function loader made (specs keep their identity), so the engine needs no second lookup.
import { FunctionSpec } from './function-spec';

/** Where a push resource came from. */
/** The resource types the push-source loader models (template-loader.ts counts them as modelled). */
export const PUSH_SOURCE_TYPES: readonly string[] = [
  'AWS::S3::Bucket', 'Custom::S3BucketNotifications', 'AWS::SNS::Topic', 'AWS::SNS::Subscription',
  'AWS::Events::Rule', 'AWS::Events::EventBus', 'AWS::Scheduler::Schedule', 'AWS::Scheduler::ScheduleGroup',
];

export interface PushResourceOrigin {
  readonly stackName: string;
  readonly logicalId: string;
  /** The CDK construct path (`aws:cdk:path` metadata), when the template came from a cloud assembly. */
  readonly constructPath?: string;
  /** The last part of the construct path without `/Resource`. */
  readonly constructId?: string;
}

export interface BucketModel extends PushResourceOrigin {
  readonly bucketName: string;
  readonly arn: string;
}

/** One Lambda notification configuration of a bucket (S3's `LambdaFunctionConfiguration`). */
export interface BucketNotificationModel {
  readonly stackName: string;
  /** The bucket's logical id (in the same stack), or undefined for an imported bucket known by name only. */
  readonly bucketLogicalId?: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** The configuration id S3 puts in `s3.configurationId`. */
  readonly configurationId: string;
  /** Event types with the `s3:` prefix, as configured (`s3:ObjectCreated:*`). */
  readonly events: readonly string[];
  readonly prefix?: string;
  readonly suffix?: string;
  /** The function ARN as the template gives it. */
  readonly functionArn: string;
  /** The function of this app it names, if any. */
  readonly function?: FunctionSpec;
  /** Where it is written, for messages (`Resources.UploadsNotifications (Custom::S3BucketNotifications)`). */
  readonly where: string;
}

export interface TopicModel extends PushResourceOrigin {
  readonly topicName: string;
  readonly arn: string;
  readonly fifo: boolean;
}

export interface SubscriptionModel {
  readonly stackName: string;
  readonly logicalId: string;
  readonly topicArn: string;
  /** The subscription's ARN (`<topic arn>:<uuid>`, stable per logical id). */
  readonly arn: string;
  /** `lambda`, or another protocol the twin does not deliver to (kept so `list` can say so). */
  readonly protocol: string;
  readonly endpoint: string;
  readonly function?: FunctionSpec;
  /** The filter policy (a JSON object), if any. */
  readonly filterPolicy?: any;
  /** `MessageAttributes` (default) or `MessageBody`. */
  readonly filterPolicyScope: string;
  /** RedrivePolicy.deadLetterTargetArn: where a message SNS cannot deliver goes. */
  readonly deadLetterArn?: string;
  readonly where: string;
}

export interface EventBusModel {
  readonly stackName: string;
  /** Undefined for the account's `default` bus (always present). */
  readonly logicalId?: string;
  readonly name: string;
  readonly arn: string;
}

/** What a target does when the service cannot deliver to it. */
export interface TargetRetryModel {
  readonly maximumRetryAttempts?: number;
  readonly maximumEventAgeInSeconds?: number;
}

/** One target of an EventBridge rule. */
export interface RuleTargetModel {
  readonly id: string;
  readonly arn: string;
  readonly function?: FunctionSpec;
  readonly input?: string;
  readonly inputPath?: string;
  readonly inputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
  readonly retryPolicy?: TargetRetryModel;
  readonly deadLetterArn?: string;
}

export interface RuleModel extends PushResourceOrigin {
  readonly name: string;
  readonly arn: string;
  /** The bus the rule is on (`default` unless EventBusName says). */
  readonly eventBusName: string;
  /** The event pattern (a JSON object) of a pattern rule. */
  readonly eventPattern?: any;
  /** The schedule expression of a scheduled rule. */
  readonly scheduleExpression?: string;
  /** `ENABLED` (default) or `DISABLED`. */
  readonly state: string;
  readonly targets: readonly RuleTargetModel[];
}

/** An EventBridge Scheduler schedule (`AWS::Scheduler::Schedule`). */
export interface SchedulerScheduleModel extends PushResourceOrigin {
  readonly name: string;
  readonly groupName: string;
  readonly arn: string;
  readonly scheduleExpression: string;
  /** IANA time zone (ScheduleExpressionTimezone). @default 'UTC' */
  readonly timezone: string;
  /** FlexibleTimeWindow: `OFF` or `FLEXIBLE`, with the window's length in minutes. */
  readonly flexibleWindowMode: string;
  readonly flexibleWindowMinutes?: number;
  readonly state: string;
  readonly target: {
    readonly arn: string;
    readonly function?: FunctionSpec;
    readonly roleArn?: string;
    /** Target.Input: what the function receives, verbatim (context attributes substituted). */
    readonly input?: string;
    readonly retryPolicy?: TargetRetryModel;
    readonly deadLetterArn?: string;
  };
}

export interface PushSourcesModel {
  readonly buckets: readonly BucketModel[];
  readonly bucketNotifications: readonly BucketNotificationModel[];
  readonly topics: readonly TopicModel[];
  readonly subscriptions: readonly SubscriptionModel[];
  readonly eventBuses: readonly EventBusModel[];
  readonly rules: readonly RuleModel[];
  readonly schedules: readonly SchedulerScheduleModel[];
  /** What the push-source loader could not read (each says where and why). */
  readonly pushWarnings: readonly string[];
}

export const EMPTY_PUSH_SOURCES: PushSourcesModel = {
  buckets: [],
  bucketNotifications: [],
  topics: [],
  subscriptions: [],
  eventBuses: [],
  rules: [],
  schedules: [],
  pushWarnings: [],
};
