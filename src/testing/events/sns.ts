// SNS notifications as SNS delivers them to a subscribed Lambda function.
import { EventFixtureOptions } from './fixture-options';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, SeededValues, eventTime } from './volatile-values';

/**
 * Options for an SNS notification event.
 */
export interface SnsEventOptions extends EventFixtureOptions {
  /**
   * The message.
   * @default 'Hello from SNS!'
   */
  readonly message?: string;

  /**
   * The subject.
   * @default - no subject (null, as SNS sends it)
   */
  readonly subject?: string;

  /**
   * The topic ARN.
   * @default - arn:aws:sns:<region>:<account>:example-topic
   */
  readonly topicArn?: string;

  /**
   * String message attributes, name to value.
   * @default - no message attributes
   */
  readonly messageAttributes?: { [name: string]: string };

  /**
   * The message id. Fix it (with `time`) for a deterministic event; the subscription id derives from it.
   * @default - a fresh UUID
   */
  readonly messageId?: string;
}

/** An SNS `Notification`. */
export function snsNotificationEvent(options: SnsEventOptions = {}): any {
  const ids = SeededValues.fromId(options.messageId);
  const region = options.region ?? DEFAULT_REGION;
  const account = options.account ?? DEFAULT_ACCOUNT;
  const topicArn = options.topicArn ?? `arn:aws:sns:${region}:${account}:example-topic`;
  const subscriptionArn = `${topicArn}:${ids.uuid('subscription-id')}`;
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options.messageAttributes ?? {})) {
    messageAttributes[name] = { Type: 'String', Value: value };
  }

  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '1',
          Timestamp: eventTime(options.time).toISOString(),
          Signature: ids.base64('signature', 256),
          SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-${ids.hex('certificate', 32)}.pem`,
          MessageId: options.messageId ?? ids.uuid('message-id'),
          Message: options.message ?? 'Hello from SNS!',
          MessageAttributes: messageAttributes,
          Type: 'Notification',
          UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
          TopicArn: topicArn,
          Subject: options.subject ?? null,
        },
      },
    ],
  };
}
