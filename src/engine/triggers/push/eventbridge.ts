// EventBridge: an event bus takes PutEvents entries, builds the event envelope (version, id, detail-type, source,
// account, time, region, resources, detail) and sends it to the targets of every enabled rule on the bus whose
// event pattern matches, with the target's input (Input / InputPath / InputTransformer). Lambda targets are
// invoked asynchronously by events.amazonaws.com with the rule as SourceArn; a refused invoke is not retried and
// goes to the target's dead-letter queue with EventBridge's error attributes.
import { newId, PushContext, PushSource } from './push-source';
import { RuleModel, RuleTargetModel } from '../../../model/triggers-push';
import { renderTargetInput } from '../input-transformer';
import { CompiledPattern, compilePattern } from '../pattern';

/** One PutEvents entry. */
export interface PutEventsEntry {
  readonly source?: string;
  readonly detailType?: string;
  /** The detail: JSON text of an object, or the object. */
  readonly detail?: unknown;
  readonly resources?: readonly string[];
  /** ISO time. @default now on the trigger clock */
  readonly time?: string;
}

/** PutEvents' answer for one entry: the event id, or the error. */
export interface PutEventsResultEntry {
  readonly eventId?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/** The event envelope EventBridge sends. */
export interface EventEnvelope {
  readonly 'version': string;
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'source': string;
  readonly 'account': string;
  readonly 'time': string;
  readonly 'region': string;
  readonly 'resources': readonly string[];
  readonly 'detail': unknown;
}

/** EventBridge's time format: seconds, no fraction. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A source whose events go to rule targets: an event bus, or a scheduled rule. */
export abstract class RuleTargetSource extends PushSource {
  /** Renders the target's input and delivers it. */
  public dispatch(rule: RuleModel, target: RuleTargetModel, event: EventEnvelope): void {
    let payload: string;
    try {
      payload = renderTargetInput({ Input: target.input, InputPath: target.inputPath, InputTransformer: target.inputTransformer }, event);
    } catch (err) {
      this.ctx.record({
        source: this.name,
        functionName: target.function?.functionName ?? target.arn,
        outcome: 'dropped',
        records: 1,
        at: this.now(),
        detail: `the input of target ${target.id} of rule ${rule.name} cannot be rendered: ${(err as Error).message}`,
      });
      return;
    }
    void this.invokeAsync({
      spec: target.function,
      targetArn: target.arn,
      payload,
      caller: { principal: 'events.amazonaws.com', sourceArn: rule.arn, sourceAccount: this.ctx.accountId },
      records: 1,
      grantHint: `give the function an AWS::Lambda::Permission for principal events.amazonaws.com with SourceArn ${rule.arn} ` +
        '(CDK\'s rule.addTarget(new LambdaFunction(fn)) adds it; SAM\'s EventBridgeRule/Schedule events too)',
      onRefused: (code, message) => {
        if (!target.deadLetterArn) return;
        this.ctx.deliverTo(target.deadLetterArn, JSON.stringify(event), {
          attributes: {
            RULE_ARN: rule.arn,
            TARGET_ARN: target.arn,
            ERROR_CODE: code === 'AccessDeniedException' ? 'NO_PERMISSIONS' : code === 'ResourceNotFoundException' ? 'NO_RESOURCE' : code,
            ERROR_MESSAGE: message.slice(0, 1024),
          },
        });
      },
    });
  }
}

interface ActiveRule {
  readonly model: RuleModel;
  readonly pattern?: CompiledPattern;
}

export class EmulatedEventBus extends RuleTargetSource {
  private readonly rules: ActiveRule[] = [];

  constructor(public readonly busName: string, public readonly arn: string, public readonly refs: readonly string[],
    rules: readonly RuleModel[], ctx: PushContext) {
    super(`EventBridge ${busName}`, ctx);
    for (const model of rules) {
      if (model.eventPattern === undefined) continue;
      try {
        this.rules.push({ model, pattern: compilePattern(model.eventPattern, 'eventbridge') });
      } catch (err) {
        ctx.warn(`The EventPattern of rule ${model.logicalId} (stack ${model.stackName}) is not valid: ${(err as Error).message}; EventBridge would refuse it, so the twin sends it nothing`);
      }
    }
  }

  public ruleModels(): readonly RuleModel[] {
    return this.rules.map((r) => r.model);
  }

  /** PutEvents: one result per entry, in order. */
  public putEvents(entries: readonly PutEventsEntry[]): PutEventsResultEntry[] {
    if (entries.length === 0 || entries.length > 10) {
      throw new Error(`PutEvents on bus ${this.busName}: give 1 to 10 entries (got ${entries.length})`);
    }
    return entries.map((entry) => this.putOne(entry));
  }

  private putOne(entry: PutEventsEntry): PutEventsResultEntry {
    const invalid = (why: string): PutEventsResultEntry => ({ errorCode: 'InvalidArgument', errorMessage: why });
    if (!entry.source) return invalid('Parameter Source is not valid. Reason: Source is a required argument.');
    if (!entry.detailType) return invalid('Parameter DetailType is not valid. Reason: DetailType is a required argument.');
    let detail: unknown = entry.detail ?? {};
    if (typeof detail === 'string') {
      try {
        detail = JSON.parse(detail);
      } catch {
        return invalid('Parameter Detail is not valid. Reason: Detail is malformed.');
      }
    }
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return invalid('Parameter Detail is not valid. Reason: Detail must be a JSON object.');
    const event: EventEnvelope = {
      'version': '0',
      'id': newId(),
      'detail-type': entry.detailType,
      'source': entry.source,
      'account': this.ctx.accountId,
      'time': entry.time ?? eventTime(this.now()),
      'region': this.ctx.region,
      'resources': [...(entry.resources ?? [])],
      detail,
    };
    if (!this.stopped) {
      for (const rule of this.rules) {
        if (rule.model.state !== 'ENABLED' || !rule.pattern?.matches(event)) continue;
        for (const target of rule.model.targets) this.dispatch(rule.model, target, event);
      }
    }
    return { eventId: event.id };
  }
}
