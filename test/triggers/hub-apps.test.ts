// The trigger hub on apps as users write them: the CDK triggers example (bucket.addEventNotification, an
// on-success SQS destination consumed by an SqsEventSource, an hourly rule) and a SAM template whose S3, SNS,
// EventBridgeRule, Schedule and ScheduleV2 events the loader expands, with real function processes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { recorded, RECORDER_PY } from './push-fixture';
import { LocalTwin } from '../../src';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { triggersStack } = require('../../examples/triggers-app');

jest.setTimeout(180_000);

describe('the CDK triggers example', () => {
  let twin: LocalTwin;
  beforeAll(() => {
    const app = new App();
    twin = LocalTwin.fromStack(triggersStack(app, 'TriggersTest'), { quiet: true });
  });
  afterAll(() => twin?.shutdown());

  it('runs Ingest for an upload under uploads/ (CDK Custom::S3BucketNotifications with its permission), not for other keys', async () => {
    twin.bucket('Uploads').putObject('uploads/cat.png', 'meow');
    twin.bucket('Uploads').putObject('elsewhere/dog.png', 'woof');
    await twin.settle();
    const ingest = twin.triggerDeliveries().filter((d) => d.source === 'S3 Uploads');
    expect(ingest).toEqual([expect.objectContaining({ outcome: 'ok', functionName: expect.stringContaining('Ingest') })]);
    expect(twin.triggerWarnings()).toEqual([]);
  });

  it('runs Reporter when the virtual clock passes the hour of its schedule', async () => {
    const before = twin.triggerDeliveries().length;
    await twin.clock.advance(Duration.minutes(59));
    await twin.settle();
    expect(twin.triggerDeliveries().length).toBe(before);
    await twin.clock.advance(Duration.minutes(1));
    await twin.settle();
    expect(twin.triggerDeliveries().slice(before)).toEqual([
      expect.objectContaining({ source: 'Schedule Hourly', outcome: 'ok', functionName: expect.stringContaining('Reporter') }),
    ]);
  });

  it('chains S3 → Ingest → (on-success destination) Jobs queue → Worker', async () => {
    const before = twin.triggerDeliveries().length;
    twin.bucket('Uploads').putObject('uploads/chain.png', 'x');
    await twin.settle();
    const after = twin.triggerDeliveries().slice(before);
    expect(after.map((d) => d.source)).toEqual(['S3 Uploads', expect.stringMatching(/^SQS /)]);
    expect(after.every((d) => d.outcome === 'ok')).toBe(true);
    expect(twin.queue('Jobs').messages()).toEqual([]);
  });
});

describe('a SAM app with S3, SNS, EventBridgeRule, Schedule and ScheduleV2 events', () => {
  let dir: string;
  let twin: LocalTwin;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-sam-push-'));
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'src', 'app.py'), RECORDER_PY);
    fs.writeFileSync(path.join(dir, 'template.yaml'), [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Photos:',
      '    Type: AWS::S3::Bucket',
      '  News:',
      '    Type: AWS::SNS::Topic',
      '  Recorder:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      FunctionName: recorder',
      '      CodeUri: src',
      '      Handler: app.handler',
      '      Runtime: python3.12',
      '      Events:',
      '        Upload:',
      '          Type: S3',
      '          Properties:',
      '            Bucket: !Ref Photos',
      '            Events: [s3:ObjectCreated:*, s3:ObjectRemoved:*]',
      '            Filter: { S3Key: { Rules: [{ Name: suffix, Value: .jpg }] } }',
      '        Story:',
      '          Type: SNS',
      '          Properties:',
      '            Topic: !Ref News',
      '            FilterPolicyScope: MessageBody',
      '            FilterPolicy: { section: [sport] }',
      '        Order:',
      '          Type: EventBridgeRule',
      '          Properties:',
      '            Pattern: { source: [shop] }',
      '            Input: \'{"fixed": true}\'',
      '        Tick:',
      '          Type: Schedule',
      '          Properties: { Schedule: rate(5 minutes) }',
      '        Later:',
      '          Type: ScheduleV2',
      '          Properties:',
      '            ScheduleExpression: rate(7 minutes)',
      '            Input: \'{"later": true}\'',
      '            ScheduleExpressionTimezone: Europe/Paris',
      '',
    ].join('\n'));
    // Plain processes on purpose: the functions record what they received in a host folder.
    twin = LocalTwin.fromTemplate(path.join(dir, 'template.yaml'), { environment: { OUT: path.join(dir, 'out') }, quiet: true, isolate: false });
  });
  afterAll(async () => {
    await twin?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each expanded event source to the function with the permissions SAM creates', async () => {
    twin.bucket('Photos').putObject('a.jpg', 'x');
    twin.bucket('Photos').deleteObject('a.jpg');
    twin.bucket('Photos').putObject('a.gif', 'x');
    twin.topic('News').publish(JSON.stringify({ section: 'sport', text: 'goal' }));
    twin.topic('News').publish(JSON.stringify({ section: 'politics' }));
    twin.topic('News').publish('not json');
    twin.eventBus().put([{ source: 'shop', detailType: 'Sold', detail: {} }]);
    await twin.clock.advance(Duration.minutes(7));
    await twin.settle();
    const events = recorded(path.join(dir, 'out'), 'recorder');
    const s3 = events.filter((e) => e.Records?.[0]?.eventSource === 'aws:s3').map((e) => e.Records[0].eventName).sort();
    expect(s3).toEqual(['ObjectCreated:Put', 'ObjectRemoved:Delete']);
    const sns = events.filter((e) => e.Records?.[0]?.EventSource === 'aws:sns').map((e) => JSON.parse(e.Records[0].Sns.Message));
    expect(sns).toEqual([{ section: 'sport', text: 'goal' }]);
    expect(events.filter((e) => e.fixed === true)).toHaveLength(1);
    expect(events.filter((e) => e['detail-type'] === 'Scheduled Event')).toHaveLength(1);
    expect(events.filter((e) => e.later === true)).toHaveLength(1);
    expect(twin.triggerDeliveries().filter((d) => d.outcome !== 'ok' && d.outcome !== 'dropped')).toEqual([]);
    expect(twin.triggerWarnings()).toEqual([]);
  });
});
