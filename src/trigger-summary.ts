// What triggers each function of a twin's app, in one line per trigger (for `lambda-twin list` and `start`):
// bucket notifications, topic subscriptions, rules, schedules. Internal: not exported.
import { evaluateInvokePolicy } from './engine/invoke-api/resource-policy';
import type { TwinCore } from './engine/twin';
import { FunctionSpec } from './model/function-spec';

/** Trigger lines by `<stack>/<logical id>` of the function they invoke. */
export function triggersByFunction(core: TwinCore): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (spec: FunctionSpec | undefined, line: string) => {
    if (!spec) return;
    const key = `${spec.stackName}/${spec.logicalId}`;
    out.set(key, [...(out.get(key) ?? []), line]);
  };
  const t = core.app.triggers;
  for (const n of t.bucketNotifications ?? []) {
    const filters = [n.prefix !== undefined ? `prefix ${n.prefix}` : '', n.suffix !== undefined ? `suffix ${n.suffix}` : ''].filter(Boolean);
    const allowed = n.function ? evaluateInvokePolicy(n.function, {
      caller: { principal: 's3.amazonaws.com', sourceArn: n.bucketArn, sourceAccount: n.function.accountId }, action: 'lambda:InvokeFunction',
    }).allowed : true;
    add(n.function, `S3 bucket ${n.bucketName}: ${n.events.join(', ')}${filters.length ? ` (${filters.join(', ')})` : ''}` +
      (allowed ? '' : ' — refused: the function does not grant s3.amazonaws.com the invoke'));
  }
  for (const s of t.subscriptions ?? []) {
    const filter = s.filterPolicy !== undefined ? ` (filter policy on ${s.filterPolicyScope})` : '';
    add(s.function, `SNS topic ${s.topicArn.split(':').pop()}${filter}`);
  }
  for (const r of t.rules ?? []) {
    const what = r.scheduleExpression !== undefined ? `schedule ${r.scheduleExpression}` : `pattern on bus ${r.eventBusName}`;
    for (const target of r.targets) add(target.function, `EventBridge rule ${r.name}: ${what}${r.state !== 'ENABLED' ? ` (${r.state})` : ''}`);
  }
  for (const s of t.schedules ?? []) {
    add(s.target.function, `Scheduler schedule ${s.groupName}/${s.name}: ${s.scheduleExpression} ${s.timezone}${s.state !== 'ENABLED' ? ` (${s.state})` : ''}`);
  }
  return out;
}
