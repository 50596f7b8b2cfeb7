// Schedules: EventBridge rules with a ScheduleExpression send the "Scheduled Event" envelope to their targets, and
// EventBridge Scheduler schedules send their Target.Input verbatim (context attributes substituted), each firing
// on the trigger clock as a `schedule` timer (a virtual clock reaches it only when a test advances it).
import { eventTime, RuleTargetSource } from './eventbridge';
import { newId, PushContext } from './push-source';
import { RuleModel, SchedulerScheduleModel } from '../../../model/triggers-push';
import { parseSchedule, Schedule } from '../schedule';

/** Arms `fire` for each firing of `schedule` from now on, until `isStopped()`; returns the canceller of the pending one. */
function armEach(ctx: PushContext, schedule: Schedule, fire: (at: number) => void, isStopped: () => boolean): () => void {
  let cancel = () => {};
  const arm = (after: number) => {
    const next = schedule.nextAfter(after);
    if (next === undefined || isStopped()) return;
    cancel = ctx.clock.at(next, () => {
      if (isStopped()) return;
      fire(next);
      arm(next);
    }, 'schedule');
  };
  arm(ctx.clock.now());
  return () => cancel();
}

/**
 * What a scheduled rule and a Scheduler schedule share: the expression parsed once (an invalid one is a warning and
 * never fires), armed on the trigger clock while the source runs.
 */
abstract class ScheduledSource extends RuleTargetSource {
  public readonly schedule?: Schedule;
  public readonly error?: string;
  private cancel?: () => void;

  protected constructor(name: string, ctx: PushContext, private readonly enabled: boolean,
    expression: string | undefined, timezone: string | undefined, where: string) {
    super(name, ctx);
    try {
      this.schedule = parseSchedule(expression!, timezone);
    } catch (err) {
      this.error = `The ScheduleExpression ${JSON.stringify(expression)} of ${where} is not valid: ${(err as Error).message}; it never fires`;
      ctx.warn(this.error);
    }
  }

  public start(): void {
    if (!this.schedule || !this.enabled) return;
    this.cancel = armEach(this.ctx, this.schedule, (at) => this.fire(at), () => this.stopped);
  }

  public async stop(): Promise<void> {
    this.cancel?.();
    await super.stop();
  }

  protected abstract fire(at: number): void;
}

/** A scheduled EventBridge rule. */
export class ScheduledRule extends ScheduledSource {
  constructor(public readonly model: RuleModel, ctx: PushContext) {
    super(`Schedule ${model.constructId ?? model.logicalId}`, ctx, model.state === 'ENABLED', model.scheduleExpression, undefined,
      `rule ${model.logicalId} (stack ${model.stackName})`);
  }

  protected fire(at: number): void {
    const event = {
      'version': '0',
      'id': newId(),
      'detail-type': 'Scheduled Event',
      'source': 'aws.events',
      'account': this.ctx.accountId,
      'time': eventTime(at),
      'region': this.ctx.region,
      'resources': [this.model.arn],
      'detail': {},
    };
    for (const target of this.model.targets) this.dispatch(this.model, target, event);
  }
}

/** An EventBridge Scheduler schedule with a Lambda target. */
export class SchedulerSchedule extends ScheduledSource {
  constructor(public readonly model: SchedulerScheduleModel, ctx: PushContext) {
    super(`Scheduler ${model.constructId ?? model.name}`, ctx, model.state === 'ENABLED', model.scheduleExpression, model.timezone,
      `schedule ${model.logicalId} (stack ${model.stackName})`);
  }

  protected fire(at: number): void {
    const t = this.model.target;
    const executionId = newId();
    const payload = (t.input ?? '{}')
      .split('<aws.scheduler.schedule-arn>').join(this.model.arn)
      .split('<aws.scheduler.scheduled-time>').join(eventTime(at))
      .split('<aws.scheduler.execution-id>').join(executionId)
      .split('<aws.scheduler.attempt-number>').join('1');
    // Scheduler invokes with its execution role, not a resource-based permission: a same-account caller.
    void this.invokeAsync({
      spec: t.function,
      targetArn: t.arn,
      payload,
      caller: { principal: t.roleArn && /^arn:aws[a-zA-Z-]*:iam::\d{12}:/.test(t.roleArn) ? t.roleArn : undefined },
      records: 1,
      grantHint: `give the schedule's execution role (Target.RoleArn) lambda:InvokeFunction on ${t.arn}`,
    });
  }
}
