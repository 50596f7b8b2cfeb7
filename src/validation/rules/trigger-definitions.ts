// LT801-LT805: what triggers a function is checked at synth with the same parsers the twin runs: an EventBridge rule's
// EventPattern, ScheduleExpression and targets' input, a Scheduler schedule's expression and time zone, an SNS subscription's
// FilterPolicy and an event source mapping's FilterCriteria. Values holding deploy-time tokens are skipped.
import { compileFilterCriteria, compilePattern, PatternError } from '../../model/event-pattern';
import { parseSchedule, ScheduleError } from '../../model/schedule-expression';
import { checkTargetInput, TargetInputError } from '../../model/target-input';
import { EVENT_SOURCE_MAPPING_TYPE, EVENTS_RULE_TYPE, ResourceFacts, SCHEDULE_TYPE, SNS_SUBSCRIPTION_TYPE } from '../context';
import type { PolicyRule } from '../rule';
import { RULES } from '../rules';

export const triggerDefinitions: PolicyRule = {
  codes: [RULES.eventPattern, RULES.scheduleExpression, RULES.snsFilterPolicy, RULES.filterCriteria, RULES.targetInput],
  check: checkTrigger,
};

/** A CloudFormation intrinsic (Ref, Fn::*) anywhere in the value: only known at deploy time. */
function hasIntrinsic(value: unknown, depth = 0): boolean {
  if (depth > 50 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasIntrinsic(v, depth + 1));
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return true;
  return keys.some((k) => hasIntrinsic((value as Record<string, unknown>)[k], depth + 1));
}

function checkTrigger(resource: ResourceFacts): void {
  const p = resource.props;
  switch (resource.resource.cfnResourceType) {
    case EVENTS_RULE_TYPE:
      if (p.EventPattern !== undefined && !hasIntrinsic(p.EventPattern)) {
        guard(() => compilePattern(p.EventPattern, 'eventbridge'), (message) => resource.report(RULES.eventPattern, `EventPattern: ${message}`));
      }
      if (typeof p.ScheduleExpression === 'string') {
        if (/^\s*at\(/.test(p.ScheduleExpression)) {
          resource.report(RULES.scheduleExpression, `ScheduleExpression ${JSON.stringify(p.ScheduleExpression)}: at() one-time schedules are for EventBridge Scheduler (AWS::Scheduler::Schedule), rules take rate() or cron().`);
        } else {
          guard(() => parseSchedule(p.ScheduleExpression), (message) => resource.report(RULES.scheduleExpression, message));
        }
      }
      if (Array.isArray(p.Targets)) {
        p.Targets.forEach((target: Record<string, any>, i: number) => {
          if (!target || typeof target !== 'object' || hasIntrinsic(target.Input) || hasIntrinsic(target.InputPath) || hasIntrinsic(target.InputTransformer)) return;
          const name = typeof target.Id === 'string' ? `Targets[${i}] (${target.Id})` : `Targets[${i}]`;
          guard(() => checkTargetInput(target), (message) => resource.report(RULES.targetInput, `${name}: ${message}`));
        });
      }
      break;
    case SCHEDULE_TYPE:
      if (typeof p.ScheduleExpression === 'string' && !hasIntrinsic(p.ScheduleExpressionTimezone)) {
        const zone = typeof p.ScheduleExpressionTimezone === 'string' ? p.ScheduleExpressionTimezone : 'UTC';
        guard(() => parseSchedule(p.ScheduleExpression, zone), (message) => resource.report(RULES.scheduleExpression, message));
      }
      break;
    case SNS_SUBSCRIPTION_TYPE:
      if (p.FilterPolicy !== undefined && !hasIntrinsic(p.FilterPolicy)) {
        const snsScope = p.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';
        guard(() => compilePattern(p.FilterPolicy, 'sns', { snsScope }), (message) => resource.report(RULES.snsFilterPolicy, `FilterPolicy (scope ${snsScope}): ${message}`));
      }
      break;
    case EVENT_SOURCE_MAPPING_TYPE:
      if (p.FilterCriteria !== undefined && !hasIntrinsic(p.FilterCriteria)) {
        guard(() => compileFilterCriteria(p.FilterCriteria, 'sqs'), (message) => resource.report(RULES.filterCriteria, message));
      }
      break;
    default:
      break;
  }
}

/** Runs a parser; its PatternError/ScheduleError becomes a finding (anything else is a bug and propagates). */
function guard(parse: () => unknown, report: (message: string) => void): void {
  try {
    parse();
  } catch (e) {
    if (e instanceof PatternError || e instanceof ScheduleError || e instanceof TargetInputError) report(e.message);
    else throw e;
  }
}
