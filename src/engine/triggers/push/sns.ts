// SNS topics to Lambda: publishing a message sends SNS's `Records[]` event (EventSource aws:sns, the `Sns` object
// with its signature fields) to every `lambda` subscription whose filter policy matches (on the message attributes,
// or on the JSON body with FilterPolicyScope MessageBody), as an asynchronous invoke by sns.amazonaws.com with the
// topic as SourceArn. `sqs` subscriptions get the notification JSON in the queue, when the twin emulates it.
import * as crypto from 'crypto';
import { newId, PushContext, PushSource } from './push-source';
import { SubscriptionModel } from '../../../model/triggers-push';
import { CompiledPattern, compilePattern } from '../pattern';

/** A message attribute as SNS carries it. */
export interface SnsAttribute {
  /** `String`, `Number`, `String.Array` or `Binary`. */
  readonly Type: string;
  readonly Value: string;
}

export interface PublishInput {
  readonly message: string;
  readonly subject?: string;
  readonly attributes?: Readonly<Record<string, SnsAttribute>>;
}

interface ActiveSubscription {
  readonly model: SubscriptionModel;
  readonly filter?: CompiledPattern;
  /** Why the filter policy is not used (invalid): such a subscription receives nothing. */
  readonly filterError?: string;
}

/** The attributes as the filter policy sees them: strings, numbers and arrays; Binary is ignored. */
export function attributesForFilter(attributes: Readonly<Record<string, SnsAttribute>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes)) {
    if (a.Type === 'Number' || a.Type.startsWith('Number.')) {out[name] = Number(a.Value);} else if (a.Type === 'String.Array') {
      try {
        out[name] = JSON.parse(a.Value);
      } catch {
        out[name] = a.Value;
      }
    } else if (a.Type !== 'Binary' && !a.Type.startsWith('Binary.')) {out[name] = a.Value;}
  }
  return out;
}

export class EmulatedTopic extends PushSource {
  private readonly subscriptions: ActiveSubscription[];

  constructor(
    public readonly topicName: string,
    public readonly arn: string,
    public readonly refs: readonly string[],
    subscriptions: readonly SubscriptionModel[],
    ctx: PushContext,
  ) {
    super(`SNS ${refs[0] ?? topicName}`, ctx);
    this.subscriptions = subscriptions.map((model) => {
      if (model.filterPolicy === undefined) return { model };
      try {
        return { model, filter: compilePattern(model.filterPolicy, 'sns') };
      } catch (err) {
        const filterError = `the FilterPolicy of ${model.where} is not valid (${(err as Error).message}); SNS would refuse it, so the twin delivers nothing to it`;
        ctx.warn(filterError);
        return { model, filterError };
      }
    });
  }

  public subscriptionModels(): readonly SubscriptionModel[] {
    return this.subscriptions.map((s) => s.model);
  }

  /** Publishes a message; returns its MessageId. */
  public publish(input: PublishInput): string {
    if (typeof input.message !== 'string' || input.message.length === 0) {
      throw new Error(`Publish to topic ${this.topicName}: the message must be a non-empty string`);
    }
    const messageId = newId();
    const timestamp = new Date(this.now()).toISOString();
    const attributes = input.attributes ?? {};
    for (const s of this.subscriptions) {
      if (this.stopped) break;
      const target = s.model.function?.functionName ?? s.model.endpoint;
      if (s.filterError) {
        this.ctx.record({ source: this.name, functionName: target, outcome: 'dropped', records: 1, at: this.now(), detail: s.filterError });
        continue;
      }
      if (s.filter && !s.filter.matches(this.filterInput(s.model, input.message, attributes))) {
        this.ctx.record({
          source: this.name,
          functionName: target,
          outcome: 'dropped',
          records: 1,
          at: this.now(),
          detail: `filtered out by the filter policy (${s.model.filterPolicyScope}) of ${s.model.where}`,
        });
        continue;
      }
      const sns = {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: this.arn,
        Subject: input.subject ?? null,
        Message: input.message,
        Timestamp: timestamp,
        SignatureVersion: '1',
        Signature: crypto.createHash('sha256').update(messageId + input.message).digest('base64'),
        SigningCertUrl: `https://sns.${this.ctx.region}.amazonaws.com/SimpleNotificationService-0000000000000000000000000000000.pem`,
        UnsubscribeUrl: `https://sns.${this.ctx.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${s.model.arn}`,
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, { Type: a.Type, Value: a.Value }])),
      };
      if (s.model.protocol === 'lambda') {
        void this.invokeAsync({
          spec: s.model.function,
          targetArn: s.model.endpoint,
          payload: JSON.stringify({ Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: s.model.arn, Sns: sns }] }),
          caller: { principal: 'sns.amazonaws.com', sourceArn: this.arn, sourceAccount: this.ctx.accountId },
          records: 1,
          grantHint: `give the function an AWS::Lambda::Permission for principal sns.amazonaws.com with SourceArn ${this.arn} ` +
            '(CDK\'s topic.addSubscription(new LambdaSubscription(fn)) adds it; SAM\'s SNS event too)',
          onRefused: () => {
            // SNS does not retry a client-side error; the subscription's dead-letter queue gets the message.
            if (s.model.deadLetterArn) this.ctx.deliverTo(s.model.deadLetterArn, JSON.stringify(sns));
          },
        });
      } else if (s.model.protocol === 'sqs') {
        const delivered = this.ctx.deliverTo(s.model.endpoint, JSON.stringify(sns));
        this.ctx.record({
          source: this.name,
          functionName: s.model.endpoint,
          outcome: delivered ? 'ok' : 'dropped',
          records: 1,
          at: this.now(),
          detail: delivered ? `sent to queue ${s.model.endpoint}` : `queue ${s.model.endpoint} is not emulated`,
        });
      } else {
        this.ctx.record({
          source: this.name,
          functionName: s.model.endpoint,
          outcome: 'dropped',
          records: 1,
          at: this.now(),
          detail: `protocol ${s.model.protocol} is not emulated (${s.model.where})`,
        });
      }
    }
    return messageId;
  }

  private filterInput(model: SubscriptionModel, message: string, attributes: Readonly<Record<string, SnsAttribute>>): unknown {
    if (model.filterPolicyScope === 'MessageBody') {
      try {
        return JSON.parse(message);
      } catch {
        return undefined; // a body that is not JSON matches no MessageBody policy
      }
    }
    return attributesForFilter(attributes);
  }
}
