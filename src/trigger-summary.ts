// What triggers each function of a twin's app, in one line per trigger (for `lambda-twin list` and `start`):
// queue and stream event source mappings, bucket notifications, topic subscriptions, rules, schedules. Mappings the
// twin does not emulate (MSK, MQ, …) are not here: the loader lists them in the function's `unsupported`. Internal.
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
  for (const m of t.eventSourceMappings ?? []) {
    const key = `${m.functionStackName}/${m.functionLogicalId}`;
    const source = m.sourceKind === 'sqs'
      ? `SQS queue ${(t.queues ?? []).find((q) => q.arn === m.eventSourceArn)?.name ?? m.eventSourceArn.split(':').pop()}`
      : `${m.sourceKind === 'kinesis' ? 'Kinesis stream' : 'DynamoDB stream of table'} ${(t.streams ?? []).find((x) => x.arn === m.eventSourceArn)?.name ?? m.eventSourceArn}`;
    const details = [
      `batch ${m.batchSize}`,
      m.maximumBatchingWindowSeconds > 0 ? `window ${m.maximumBatchingWindowSeconds}s` : '',
      m.startingPosition !== undefined ? `from ${m.startingPosition}` : '',
      m.filters.length > 0 ? `${m.filters.length} filter${m.filters.length === 1 ? '' : 's'}` : '',
      m.reportBatchItemFailures ? 'partial batch failures' : '',
      m.qualifier !== undefined ? `qualifier ${m.qualifier}` : '',
    ].filter(Boolean);
    const line = `${source} (${details.join(', ')})${m.enabled ? '' : ' (disabled)'}`;
    out.set(key, [...(out.get(key) ?? []), line]);
  }
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
