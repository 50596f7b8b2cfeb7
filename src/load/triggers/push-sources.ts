// Reads the push triggers of one template (issue 14, push work): buckets and their Lambda notifications (CDK's
// `Custom::S3BucketNotifications` and `AWS::S3::Bucket` NotificationConfiguration), SNS topics and subscriptions,
// EventBridge buses, rules (pattern or schedule) and Scheduler schedules. What cannot be read becomes a warning
// that says where and why; nothing is dropped silently.
import * as crypto from 'crypto';
import { FunctionSpec } from '../../model/function-spec';
import {
  BucketModel, BucketNotificationModel, EMPTY_PUSH_SOURCES, EventBusModel, PushResourceOrigin, PushSourcesModel, RuleModel,
  RuleTargetModel, SchedulerScheduleModel, SubscriptionModel, TargetRetryModel, TopicModel,
} from '../../model/triggers-push';
import { resolveValue, Unresolved } from '../intrinsics';
import { functionOfReference, LoadedTemplate } from '../resource-context';

export function loadPushSources(loaded: LoadedTemplate): PushSourcesModel {
  return new PushSourceReader(loaded).read();
}

class PushSourceReader {
  private readonly warnings: string[] = [];
  private readonly resources: Record<string, any>;

  constructor(private readonly loaded: LoadedTemplate) {
    this.resources = loaded.template?.Resources ?? {};
  }

  read(): PushSourcesModel {
    const out = {
      buckets: [] as BucketModel[],
      bucketNotifications: [] as BucketNotificationModel[],
      topics: [] as TopicModel[],
      subscriptions: [] as SubscriptionModel[],
      eventBuses: [] as EventBusModel[],
      rules: [] as RuleModel[],
      schedules: [] as SchedulerScheduleModel[],
    };
    for (const [id, r] of Object.entries<any>(this.resources)) {
      try {
        switch (r?.Type) {
          case 'AWS::S3::Bucket':
            out.buckets.push(this.bucket(id, r));
            out.bucketNotifications.push(...this.bucketConfigurations(id, r));
            break;
          case 'Custom::S3BucketNotifications':
            out.bucketNotifications.push(...this.cdkNotifications(id, r));
            break;
          case 'AWS::SNS::Topic':
            out.topics.push(this.topic(id, r));
            break;
          case 'AWS::SNS::Subscription': {
            const s = this.subscription(id, r);
            if (s) out.subscriptions.push(s);
            break;
          }
          case 'AWS::Events::EventBus':
            out.eventBuses.push(this.eventBus(id, r));
            break;
          case 'AWS::Events::Rule':
            out.rules.push(this.rule(id, r));
            break;
          case 'AWS::Scheduler::Schedule':
            out.schedules.push(this.schedule(id, r));
            break;
          default:
            break;
        }
      } catch (err) {
        this.warnings.push(`Resources.${id} (${r?.Type}) in ${this.source}: ${(err as Error).message}; the twin does not deliver its events`);
      }
    }
    return { ...EMPTY_PUSH_SOURCES, ...out, pushWarnings: this.warnings };
  }

  private get source(): string {
    return this.loaded.options.source ?? this.loaded.options.stackName;
  }

  private get ctx() {
    return this.loaded.ctx;
  }

  private origin(id: string, r: any): PushResourceOrigin {
    const constructPath = typeof r?.Metadata?.['aws:cdk:path'] === 'string' ? r.Metadata['aws:cdk:path'] : this.loaded.options.constructPathOf?.(id);
    return { stackName: this.ctx.stackName, logicalId: id, constructPath, constructId: constructIdFromPath(constructPath) };
  }

  /** A property resolved to a string; throws with the property's name when it cannot be known locally. */
  private str(value: any, what: string): string {
    const v = resolveValue(value, this.ctx);
    if (v instanceof Unresolved) throw new Error(`${what} cannot be resolved locally (${v.reason})`);
    if (v === undefined || v === null) throw new Error(`${what} is missing`);
    return typeof v === 'string' ? v : JSON.stringify(v);
  }

  private optStr(value: any, what: string): string | undefined {
    return value === undefined ? undefined : this.str(value, what);
  }

  private attr(id: string, attribute: string): string {
    return this.str({ 'Fn::GetAtt': [id, attribute] }, `${id}.${attribute}`);
  }

  private fn(reference: any): FunctionSpec | undefined {
    return functionOfReference(this.loaded, reference);
  }

  private bucket(id: string, r: any): BucketModel {
    const bucketName = this.str({ Ref: id }, `Resources.${id} name`);
    return { ...this.origin(id, r), bucketName, arn: `arn:aws:s3:::${bucketName}` };
  }

  /** The bucket a `BucketName` value stands for: one of this template (Ref) or an imported one (a name). */
  private bucketOf(value: any, what: string): { name: string; logicalId?: string } {
    const ref = value?.Ref;
    if (typeof ref === 'string' && this.resources[ref]?.Type === 'AWS::S3::Bucket') {
      return { name: this.str({ Ref: ref }, what), logicalId: ref };
    }
    const name = this.str(value, what);
    const local = Object.entries<any>(this.resources).find(([lid, res]) => res?.Type === 'AWS::S3::Bucket'
      && this.str({ Ref: lid }, lid) === name);
    return { name, logicalId: local?.[0] };
  }

  /** Notification targets other than Lambda are not delivered: said, not dropped silently. */
  private otherTargets(where: string, configuration: any, keys: readonly string[]): void {
    for (const key of keys) {
      if (configuration?.[key] === undefined) continue;
      this.warnings.push(`${where}.NotificationConfiguration.${key} in ${this.source}: not emulated; the twin delivers bucket notifications to Lambda functions only`);
    }
  }

  private bucketConfigurations(id: string, r: any): BucketNotificationModel[] {
    this.otherTargets(`Resources.${id}.Properties`, r.Properties?.NotificationConfiguration,
      ['QueueConfigurations', 'TopicConfigurations', 'EventBridgeConfiguration']);
    const configs = r.Properties?.NotificationConfiguration?.LambdaConfigurations;
    if (configs === undefined) return [];
    if (!Array.isArray(configs)) throw new Error('NotificationConfiguration.LambdaConfigurations is not a list');
    const bucket = this.bucket(id, r);
    return configs.map((c: any, i: number) => this.notification({
      bucket: { name: bucket.bucketName, logicalId: id },
      events: [c?.Event],
      rules: c?.Filter?.S3Key?.Rules,
      functionRef: c?.Function,
      configurationId: c?.Id,
      where: `Resources.${id}.Properties.NotificationConfiguration.LambdaConfigurations[${i}] (AWS::S3::Bucket)`,
    }));
  }

  private cdkNotifications(id: string, r: any): BucketNotificationModel[] {
    const p = r.Properties ?? {};
    this.otherTargets(`Resources.${id}.Properties`, p.NotificationConfiguration,
      ['QueueConfigurations', 'TopicConfigurations', 'EventBridgeConfiguration']);
    const configs = p.NotificationConfiguration?.LambdaFunctionConfigurations ?? [];
    if (!Array.isArray(configs)) throw new Error('NotificationConfiguration.LambdaFunctionConfigurations is not a list');
    const bucket = this.bucketOf(p.BucketName, `Resources.${id}.Properties.BucketName`);
    return configs.map((c: any, i: number) => this.notification({
      bucket,
      events: c?.Events,
      rules: c?.Filter?.Key?.FilterRules,
      functionRef: c?.LambdaFunctionArn,
      configurationId: c?.Id,
      where: `Resources.${id}.Properties.NotificationConfiguration.LambdaFunctionConfigurations[${i}] (Custom::S3BucketNotifications)`,
    }));
  }

  private notification(input: {
    bucket: { name: string; logicalId?: string }; events: any; rules: any; functionRef: any; configurationId: any; where: string;
  }): BucketNotificationModel {
    const events = resolveValue(input.events, this.ctx);
    if (!Array.isArray(events) || events.length === 0 || events.some((e) => typeof e !== 'string' || !/^s3:[A-Za-z]+(:[A-Za-z*]+)?$/.test(e))) {
      throw new Error(`${input.where}: events must be a list of S3 event types such as s3:ObjectCreated:*, got ${JSON.stringify(events)}`);
    }
    let prefix: string | undefined;
    let suffix: string | undefined;
    for (const rule of resolveValue(input.rules ?? [], this.ctx) ?? []) {
      const name = String(rule?.Name ?? '').toLowerCase();
      if (name === 'prefix') prefix = String(rule.Value ?? '');
      else if (name === 'suffix') suffix = String(rule.Value ?? '');
      else throw new Error(`${input.where}: filter rule name must be prefix or suffix, got ${JSON.stringify(rule?.Name)}`);
    }
    const functionArn = this.str(input.functionRef, `${input.where} function`);
    const spec = this.fn(input.functionRef) ?? this.fn(functionArn);
    const configurationId = this.optStr(input.configurationId, `${input.where} Id`)
      ?? stableId(`${this.ctx.stackName}/${input.where}`);
    return {
      stackName: this.ctx.stackName,
      bucketLogicalId: input.bucket.logicalId,
      bucketName: input.bucket.name,
      bucketArn: `arn:aws:s3:::${input.bucket.name}`,
      configurationId,
      events,
      prefix,
      suffix,
      functionArn,
      function: spec,
      where: input.where,
    };
  }

  private topic(id: string, r: any): TopicModel {
    const arn = this.str({ Ref: id }, `Resources.${id} ARN`);
    return { ...this.origin(id, r), arn, topicName: arn.split(':').pop()!, fifo: r.Properties?.FifoTopic === true || r.Properties?.FifoTopic === 'true' };
  }

  private subscription(id: string, r: any): SubscriptionModel | undefined {
    const p = r.Properties ?? {};
    const where = `Resources.${id} (AWS::SNS::Subscription)`;
    const topicArn = this.str(p.TopicArn, `${where} TopicArn`);
    const protocol = this.str(p.Protocol, `${where} Protocol`).toLowerCase();
    const endpoint = this.str(p.Endpoint, `${where} Endpoint`);
    let filterPolicy = resolveValue(p.FilterPolicy, this.ctx);
    if (typeof filterPolicy === 'string') filterPolicy = JSON.parse(filterPolicy);
    const redrive = typeof p.RedrivePolicy === 'string' ? JSON.parse(p.RedrivePolicy) : resolveValue(p.RedrivePolicy, this.ctx);
    return {
      stackName: this.ctx.stackName,
      logicalId: id,
      topicArn,
      arn: `${topicArn}:${stableId(`${this.ctx.stackName}/${id}`)}`,
      protocol,
      endpoint,
      function: protocol === 'lambda' ? this.fn(p.Endpoint) ?? this.fn(endpoint) : undefined,
      filterPolicy: filterPolicy === undefined ? undefined : filterPolicy,
      filterPolicyScope: this.optStr(p.FilterPolicyScope, `${where} FilterPolicyScope`) ?? 'MessageAttributes',
      deadLetterArn: typeof redrive?.deadLetterTargetArn === 'string' ? redrive.deadLetterTargetArn : undefined,
      where,
    };
  }

  private eventBus(id: string, r: any): EventBusModel {
    const name = this.str(r.Properties?.Name, `Resources.${id}.Properties.Name`);
    return { stackName: this.ctx.stackName, logicalId: id, name, arn: this.busArn(name) };
  }

  private busArn(name: string): string {
    return name.startsWith('arn:') ? name : `arn:aws:events:${this.ctx.region}:${this.ctx.accountId}:event-bus/${name}`;
  }

  private rule(id: string, r: any): RuleModel {
    const p = r.Properties ?? {};
    const where = `Resources.${id} (AWS::Events::Rule)`;
    let eventPattern = resolveValue(p.EventPattern, this.ctx);
    if (typeof eventPattern === 'string') eventPattern = JSON.parse(eventPattern);
    const scheduleExpression = this.optStr(p.ScheduleExpression, `${where} ScheduleExpression`);
    if (eventPattern === undefined && scheduleExpression === undefined) throw new Error('it has neither EventPattern nor ScheduleExpression');
    let bus = this.optStr(p.EventBusName, `${where} EventBusName`) ?? 'default';
    if (bus.startsWith('arn:')) bus = bus.split('/').pop()!;
    const targets = resolveValue(p.Targets ?? [], this.ctx);
    if (!Array.isArray(targets)) throw new Error('Targets is not a list');
    return {
      ...this.origin(id, r),
      name: this.str({ Ref: id }, `${where} name`),
      arn: this.attr(id, 'Arn'),
      eventBusName: bus,
      eventPattern,
      scheduleExpression,
      state: this.optStr(p.State, `${where} State`) ?? 'ENABLED',
      targets: targets.map((t: any, i: number): RuleTargetModel => {
        if (t?.Arn instanceof Unresolved || typeof t?.Arn !== 'string') throw new Error(`Targets[${i}].Arn cannot be resolved locally`);
        return {
          id: String(t.Id ?? `Target${i}`),
          arn: t.Arn,
          function: this.fn(p.Targets[i]?.Arn) ?? this.fn(t.Arn),
          input: t.Input === undefined ? undefined : typeof t.Input === 'string' ? t.Input : JSON.stringify(t.Input),
          inputPath: t.InputPath,
          inputTransformer: t.InputTransformer,
          retryPolicy: retryOf(t.RetryPolicy),
          deadLetterArn: typeof t.DeadLetterConfig?.Arn === 'string' ? t.DeadLetterConfig.Arn : undefined,
        };
      }),
    };
  }

  private schedule(id: string, r: any): SchedulerScheduleModel {
    const p = r.Properties ?? {};
    const where = `Resources.${id} (AWS::Scheduler::Schedule)`;
    const name = this.optStr(p.Name, `${where} Name`) ?? `${this.ctx.stackName}-${id}`;
    const groupName = this.optStr(p.GroupName, `${where} GroupName`) ?? 'default';
    const target = resolveValue(p.Target ?? {}, this.ctx);
    if (typeof target?.Arn !== 'string') throw new Error('Target.Arn is missing or cannot be resolved locally');
    return {
      ...this.origin(id, r),
      name,
      groupName,
      arn: `arn:aws:scheduler:${this.ctx.region}:${this.ctx.accountId}:schedule/${groupName}/${name}`,
      scheduleExpression: this.str(p.ScheduleExpression, `${where} ScheduleExpression`),
      timezone: this.optStr(p.ScheduleExpressionTimezone, `${where} ScheduleExpressionTimezone`) ?? 'UTC',
      flexibleWindowMode: this.optStr(p.FlexibleTimeWindow?.Mode, `${where} FlexibleTimeWindow.Mode`) ?? 'OFF',
      flexibleWindowMinutes: p.FlexibleTimeWindow?.MaximumWindowInMinutes === undefined ? undefined
        : Number(resolveValue(p.FlexibleTimeWindow.MaximumWindowInMinutes, this.ctx)),
      state: this.optStr(p.State, `${where} State`) ?? 'ENABLED',
      target: {
        arn: target.Arn,
        function: this.fn(p.Target?.Arn) ?? this.fn(target.Arn),
        roleArn: typeof target.RoleArn === 'string' ? target.RoleArn : undefined,
        input: target.Input === undefined ? undefined : typeof target.Input === 'string' ? target.Input : JSON.stringify(target.Input),
        retryPolicy: retryOf(target.RetryPolicy),
        deadLetterArn: typeof target.DeadLetterConfig?.Arn === 'string' ? target.DeadLetterConfig.Arn : undefined,
      },
    };
  }
}

function constructIdFromPath(constructPath: string | undefined): string | undefined {
  if (!constructPath) return undefined;
  const parts = constructPath.split('/');
  if (parts[parts.length - 1] === 'Resource' && parts.length > 1) parts.pop();
  return parts[parts.length - 1];
}

function retryOf(policy: any): TargetRetryModel | undefined {
  if (!policy || typeof policy !== 'object') return undefined;
  const n = (v: any) => (v === undefined || v instanceof Unresolved ? undefined : Number(v));
  return { maximumRetryAttempts: n(policy.MaximumRetryAttempts), maximumEventAgeInSeconds: n(policy.MaximumEventAgeInSeconds) };
}

/** A UUID-shaped id that is the same for the same input (subscription ARNs, configuration ids). */
function stableId(seed: string): string {
  const h = crypto.createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
