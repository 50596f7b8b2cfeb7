// A CloudFormation app with every push source (buckets, topics, rules, a schedule, a Scheduler schedule) wired to
// a recording Python function, written to a temporary folder; the recorder writes each event it gets to OUT.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const RECORDER_PY = [
  'import json, os, uuid',
  '',
  'def handler(event, context):',
  "    with open(os.path.join(os.environ['OUT'], context.function_name + '-' + str(uuid.uuid4()) + '.json'), 'w') as f:",
  '        json.dump(event, f)',
  "    return {'ok': True}",
  '',
  'def fail(event, context):',
  "    raise Exception('always fails')",
  '',
].join('\n');

const fn = (name: string, handler: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: name, Code: 'code', Handler: handler, Runtime: 'python3.12', Role: 'arn:aws:iam::123456789012:role/r', Timeout: 10 },
});
const permission = (principal: string, sourceArn: any) => ({
  Type: 'AWS::Lambda::Permission',
  Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['Recorder', 'Arn'] }, Principal: principal, SourceArn: sourceArn },
});
const recorderArn = { 'Fn::GetAtt': ['Recorder', 'Arn'] };

export const PUSH_TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Recorder: fn('recorder', 'app.handler'),
    Failer: fn('failer', 'app.fail'),
    FailerConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'Failer' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        DestinationConfig: { OnFailure: { Destination: { Ref: 'Failures' } } },
      },
    },
    FailerMayBeInvokedByEvents: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'Failer' }, Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['FailRule', 'Arn'] } },
    },
    Uploads: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'uploads',
        NotificationConfiguration: {
          LambdaConfigurations: [{
            Event: 's3:ObjectCreated:*',
            Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.txt' }] } },
            Function: recorderArn,
          }],
        },
      },
    },
    UploadsMayInvoke: permission('s3.amazonaws.com', 'arn:aws:s3:::uploads'),
    Unpermitted: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: 'unpermitted', NotificationConfiguration: { LambdaConfigurations: [{ Event: 's3:ObjectCreated:Put', Function: recorderArn }] } },
    },
    Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
    AlertsSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: { Protocol: 'lambda', TopicArn: { Ref: 'Alerts' }, Endpoint: recorderArn, FilterPolicy: { level: ['error'] } },
    },
    AlertsMayInvoke: permission('sns.amazonaws.com', { Ref: 'Alerts' }),
    Silent: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'silent' } },
    SilentSubscription: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: { Ref: 'Silent' }, Endpoint: recorderArn } },
    Failures: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'failures' } },
    FailuresSubscription: { Type: 'AWS::SNS::Subscription', Properties: { Protocol: 'lambda', TopicArn: { Ref: 'Failures' }, Endpoint: recorderArn } },
    FailuresMayInvoke: permission('sns.amazonaws.com', { Ref: 'Failures' }),
    OrderRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: 'orders',
        EventPattern: { 'source': ['shop'], 'detail-type': ['OrderPlaced'] },
        Targets: [{ Id: 'rec', Arn: recorderArn }],
      },
    },
    OrderRuleMayInvoke: permission('events.amazonaws.com', { 'Fn::GetAtt': ['OrderRule', 'Arn'] }),
    FailRule: {
      Type: 'AWS::Events::Rule',
      Properties: { Name: 'fails', EventPattern: { source: ['fail'] }, Targets: [{ Id: 'failer', Arn: { 'Fn::GetAtt': ['Failer', 'Arn'] } }] },
    },
    Hourly: {
      Type: 'AWS::Events::Rule',
      Properties: { Name: 'hourly', ScheduleExpression: 'rate(1 hour)', Targets: [{ Id: 'rec', Arn: recorderArn }] },
    },
    HourlyMayInvoke: permission('events.amazonaws.com', { 'Fn::GetAtt': ['Hourly', 'Arn'] }),
    Reminder: {
      Type: 'AWS::Scheduler::Schedule',
      Properties: {
        Name: 'reminder',
        ScheduleExpression: 'rate(90 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: recorderArn, RoleArn: 'arn:aws:iam::123456789012:role/scheduler', Input: '{"remind":"<aws.scheduler.schedule-arn>"}' },
      },
    },
  },
};

/** Writes the app (template and code) to a new temporary folder; returns the template file and the output folder. */
export function writePushApp(template: any = PUSH_TEMPLATE): { dir: string; templateFile: string; out: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-push-'));
  fs.mkdirSync(path.join(dir, 'code'));
  fs.writeFileSync(path.join(dir, 'code', 'app.py'), RECORDER_PY);
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  const templateFile = path.join(dir, 'template.json');
  fs.writeFileSync(templateFile, JSON.stringify(template, null, 2));
  return { dir, templateFile, out };
}

/** The events a function recorded, in the order of their files' modification times. */
export function recorded(out: string, functionName: string): any[] {
  return fs.readdirSync(out).filter((f) => f.startsWith(functionName + '-'))
    .map((f) => ({ f, t: fs.statSync(path.join(out, f)).mtimeMs }))
    .sort((a, b) => a.t - b.t)
    .map(({ f }) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')));
}
