// LT801-LT804 at synth: invalid event patterns, schedule expressions, SNS filter policies and FilterCriteria on the
// resources CDK makes are findings that say what is wrong; valid ones and token values pass.
import { Aspects, Fn, aws_events as events, aws_events_targets as targets, aws_lambda as lambda, aws_scheduler as scheduler, aws_sns as sns } from 'aws-cdk-lib';
import { LambdaValidator } from '../../src/validation/aspect';
import { codesIn, newStack, synthError } from '../validation/helpers';

const saved = process.env.CDK_VALIDATION;
afterEach(() => {
  if (saved === undefined) delete process.env.CDK_VALIDATION;
  else process.env.CDK_VALIDATION = saved;
});

function findings(build: (stack: ReturnType<typeof newStack>['stack']) => void) {
  const { stack } = newStack();
  build(stack);
  return LambdaValidator.findings(stack);
}

describe('trigger definitions at synth', () => {
  it('reports an invalid EventBridge pattern (LT801) with the reason and path', () => {
    const out = findings((stack) => {
      new events.CfnRule(stack, 'Bad', { eventPattern: { source: 'aws.ec2' } });
      // An L2 rule's pattern keys stay as written (not capitalized like properties): no finding.
      new events.Rule(stack, 'Good', { eventPattern: { source: ['aws.ec2'], detail: { state: [{ 'anything-but': 'running' }] } } });
      new events.CfnRule(stack, 'BadOp', { eventPattern: { detail: { n: [{ numeric: 10 }] } } });
    });
    expect(out.map((f) => [f.code, f.path])).toEqual([['LT801', 'TestStack/Bad'], ['LT801', 'TestStack/BadOp']]);
    expect(out[0].message).toMatch(/EventPattern: Event pattern is not valid\. Reason: "source" must be an object or an array/);
    expect(out[1].message).toMatch(/Value of numeric must be an array.*at detail\.n/);
  });

  it('reports invalid schedule expressions on rules and schedules (LT802)', () => {
    const out = findings((stack) => {
      new events.Rule(stack, 'Plural', { schedule: events.Schedule.expression('rate(1 hours)') });
      new events.Rule(stack, 'Fine', { schedule: events.Schedule.expression('cron(0 12 ? * MON-FRI *)') });
      new events.CfnRule(stack, 'At', { scheduleExpression: 'at(2027-01-01T00:00:00)' });
      const target = { arn: 'arn:aws:lambda:us-east-1:123456789012:function:f', roleArn: 'arn:aws:iam::123456789012:role/r' };
      new scheduler.CfnSchedule(stack, 'BothDays', { scheduleExpression: 'cron(0 12 * * * *)', flexibleTimeWindow: { mode: 'OFF' }, target });
      new scheduler.CfnSchedule(stack, 'BadZone', { scheduleExpression: 'rate(5 minutes)', scheduleExpressionTimezone: 'Mars/Base', flexibleTimeWindow: { mode: 'OFF' }, target });
      new scheduler.CfnSchedule(stack, 'Once', { scheduleExpression: 'at(2027-01-01T09:00:00)', scheduleExpressionTimezone: 'Europe/Paris', flexibleTimeWindow: { mode: 'OFF' }, target });
    });
    expect(out.map((f) => [f.code, f.path.split('/')[1]])).toEqual([['LT802', 'Plural'], ['LT802', 'At'], ['LT802', 'BothDays'], ['LT802', 'BadZone']]);
    expect(out[0].message).toMatch(/singular unit: rate\(1 hour\)/);
    expect(out[1].message).toMatch(/at\(\) one-time schedules are for EventBridge Scheduler/);
    expect(out[2].message).toMatch(/exactly one of day-of-month and day-of-week/);
    expect(out[3].message).toMatch(/"Mars\/Base" is not a known IANA time zone/);
  });

  it('reports invalid SNS filter policies by scope (LT803)', () => {
    const out = findings((stack) => {
      const topic = new sns.Topic(stack, 'Topic').topicArn;
      new sns.CfnSubscription(stack, 'Nested', { topicArn: topic, protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:f', filterPolicy: { order: { kind: ['x'] } } });
      new sns.CfnSubscription(stack, 'Body', { topicArn: topic, protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:f', filterPolicy: { order: { kind: ['x'] } }, filterPolicyScope: 'MessageBody' });
      new sns.CfnSubscription(stack, 'TooMany', { topicArn: topic, protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:f', filterPolicy: { a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] } });
    });
    expect(out.map((f) => [f.code, f.path.split('/')[1]])).toEqual([['LT803', 'Nested'], ['LT803', 'TooMany']]);
    expect(out[0].message).toMatch(/scope MessageAttributes.*must be flat/);
    expect(out[1].message).toMatch(/more than 5 keys/);
  });

  it('reports invalid FilterCriteria patterns (LT804) and skips tokens', () => {
    const out = findings((stack) => {
      new lambda.CfnEventSourceMapping(stack, 'Bad', { functionName: 'f', eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q', filterCriteria: { filters: [{ pattern: '{"body":{"kind":"order"}}' }] } });
      new lambda.CfnEventSourceMapping(stack, 'Good', { functionName: 'f', eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q', filterCriteria: { filters: [{ pattern: '{"body":{"kind":["order"]}}' }] } });
      new lambda.CfnEventSourceMapping(stack, 'Token', { functionName: 'f', eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q', filterCriteria: { filters: [{ pattern: Fn.importValue('Pattern') }] } });
    });
    expect(out.map((f) => [f.code, f.path.split('/')[1]])).toEqual([['LT804', 'Bad']]);
    expect(out[0].message).toMatch(/Filters\[0\]\.Pattern: .*"kind" must be an object or an array/);
  });

  it('reports invalid target input on rules (LT805) and passes what CDK renders', () => {
    const out = findings((stack) => {
      const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c):\n  return e\n') });
      const rule = new events.Rule(stack, 'Cdk', { eventPattern: { source: ['aws.ec2'] } });
      rule.addTarget(new targets.LambdaFunction(fn, { event: events.RuleTargetInput.fromObject({ id: events.EventField.fromPath('$.detail.instance-id'), text: 'fixed' }) }));
      rule.addTarget(new targets.LambdaFunction(fn, { event: events.RuleTargetInput.fromText('hello') }));
      new events.CfnRule(stack, 'Both', { eventPattern: { source: ['x'] }, targets: [{ id: 'T', arn: fn.functionArn, input: '{}', inputPath: '$.detail' }] });
      new events.CfnRule(stack, 'NotJson', { eventPattern: { source: ['x'] }, targets: [{ id: 'T', arn: fn.functionArn, input: '{oops' }] });
      new events.CfnRule(stack, 'BadPath', { eventPattern: { source: ['x'] }, targets: [{ id: 'T', arn: fn.functionArn, inputTransformer: { inputPathsMap: { id: 'detail.id' }, inputTemplate: '<id>' } }] });
    }).filter((f) => f.code.startsWith('LT8'));
    expect(out.map((f) => [f.code, f.path.split('/')[1]])).toEqual([['LT805', 'Both'], ['LT805', 'NotJson'], ['LT805', 'BadPath']]);
    expect(out[0].message).toMatch(/Targets\[0\] \(T\): A target takes only one of Input, InputPath and InputTransformer/);
    expect(out[1].message).toMatch(/Input must be valid JSON text/);
    expect(out[2].message).toMatch(/InputPathsMap\.id "detail\.id" is not a JSONPath/);
  });

  it('fails synth through the aspect', () => {
    const { app, stack } = newStack();
    new events.CfnRule(stack, 'Bad', { eventPattern: { source: [] } });
    Aspects.of(app).add(new LambdaValidator());
    expect(codesIn(synthError(app))).toEqual(['LT801']);
  });
});
