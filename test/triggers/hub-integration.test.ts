// The trigger hub with the poll sources (issue 14, integration): settle finishes a stream's retries and batching
// window (PollSources.waiting), poll warnings reach the hub's warnings, `list` shows event source mappings, queues are
// found by construct id in apps synthesized without path metadata, and push targets' dead-letter queues are queues
// the twin emulates (EventBridge target DeadLetterConfig, SNS subscription RedrivePolicy).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, aws_lambda as lambda, aws_lambda_event_sources as sources, aws_sqs as sqs } from 'aws-cdk-lib';
import { LocalTwin } from '../../src';
import { coreOf } from '../../src/core-of';
import { triggersByFunction } from '../../src/trigger-summary';

jest.setTimeout(180_000);

const PY = [
  'import json, os, uuid',
  'def record(event, context):',
  "    with open(os.path.join(os.environ['OUT'], str(uuid.uuid4()) + '.json'), 'w') as f:",
  '        json.dump(event, f)',
  'def fail(event, context):',
  "    raise Exception('always fails')",
  '',
].join('\n');

let dir: string;
let twin: LocalTwin | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-hub-int-'));
  fs.mkdirSync(path.join(dir, 'py'));
  fs.mkdirSync(path.join(dir, 'out'));
  fs.writeFileSync(path.join(dir, 'py', 'app.py'), PY);
});
afterEach(async () => {
  await twin?.shutdown();
  twin = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function samTwin(lines: string[]): LocalTwin {
  const file = path.join(dir, 'template.yaml');
  fs.writeFileSync(file, ['Transform: AWS::Serverless-2016-10-31', 'Resources:', ...lines, ''].join('\n'));
  // Plain processes on purpose: the functions record what they received in a host folder.
  return LocalTwin.fromTemplate(file, { environment: { OUT: path.join(dir, 'out') }, quiet: true, isolate: false });
}

const recorded = () => fs.readdirSync(path.join(dir, 'out')).map((f) => JSON.parse(fs.readFileSync(path.join(dir, 'out', f), 'utf8')));

const kinesisFunction = (handler: string, mapping: string[]) => [
  '  Clicks:',
  '    Type: AWS::Kinesis::Stream',
  '    Properties: { Name: clicks, ShardCount: 1 }',
  '  Failures:',
  '    Type: AWS::SQS::Queue',
  '    Properties: { QueueName: failures }',
  '  F:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      FunctionName: f',
  '      Runtime: python3.12',
  `      Handler: app.${handler}`,
  '      CodeUri: py',
  '      Events:',
  '        K:',
  '          Type: Kinesis',
  '          Properties:',
  '            Stream: !GetAtt Clicks.Arn',
  ...mapping.map((l) => `            ${l}`),
];

describe('settle with stream pollers waiting on the clock', () => {
  it('runs every retry of a failing Kinesis batch, then sends it to the OnFailure queue', async () => {
    twin = samTwin(kinesisFunction('fail', [
      'StartingPosition: TRIM_HORIZON',
      'MaximumRetryAttempts: 2',
      'DestinationConfig: { OnFailure: { Destination: !GetAtt Failures.Arn } }',
    ]));
    twin.stream('Clicks').put([{ data: 'one', partitionKey: 'p' }]);
    await twin.settle();
    expect(twin.triggerDeliveries().map((d) => d.outcome)).toEqual(['error', 'error', 'error', 'dropped']);
    const [message] = twin.queue('Failures').messages();
    expect(JSON.parse(message.body).requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 3 });
  });

  it('delivers a Kinesis batch once its batching window has passed', async () => {
    twin = samTwin(kinesisFunction('record', ['StartingPosition: TRIM_HORIZON', 'MaximumBatchingWindowInSeconds: 20', 'BatchSize: 50']));
    twin.stream('Clicks').put([{ data: 'a', partitionKey: 'p' }, { data: 'b', partitionKey: 'p' }]);
    await twin.settle();
    const batches = recorded();
    expect(batches.map((e) => e.Records.map((r: any) => Buffer.from(r.kinesis.data, 'base64').toString()))).toEqual([['a', 'b']]);
  });
});

describe('poll warnings and list', () => {
  it('says the poll loader notes as the twin\'s trigger warnings and lists each mapping on its function', () => {
    twin = samTwin(kinesisFunction('record', ['StartingPosition: LATEST', 'TumblingWindowInSeconds: 60', 'BatchSize: 7']));
    expect(twin.triggerWarnings()).toEqual([expect.stringMatching(/TumblingWindowInSeconds: tumbling windows are not emulated/)]);
    const lines = triggersByFunction(coreOf(twin));
    expect([...lines.values()]).toEqual([[expect.stringMatching(/^Kinesis stream clicks \(batch 7, from LATEST\)$/)]]);
  });

  it('lists an SQS mapping with its queue, and keeps a mapping the twin does not emulate in the function\'s unsupported list', () => {
    twin = samTwin([
      '  Jobs:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { QueueName: jobs }',
      '  W:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.record',
      '      CodeUri: py',
      '      Events:',
      '        Q:',
      '          Type: SQS',
      '          Properties: { Queue: !GetAtt Jobs.Arn, BatchSize: 5, MaximumBatchingWindowInSeconds: 2 }',
      '        Kafka:',
      '          Type: MSK',
      '          Properties:',
      '            Stream: arn:aws:kafka:us-east-1:123456789012:cluster/c/abc',
      '            Topics: [orders]',
      '            StartingPosition: LATEST',
    ]);
    const [fn] = twin.functions();
    expect(triggersByFunction(coreOf(twin)).get(`${fn.stackName}/${fn.logicalId}`)).toEqual(['SQS queue jobs (batch 5, window 2s)']);
    expect(fn.unsupported.join('\n')).toMatch(/EventSourceMapping/);
  });
});

describe('an app synthesized without aws:cdk:path metadata', () => {
  it('finds the queue by construct id from the tree and runs its consumer', async () => {
    const outdir = path.join(dir, 'cdk.out');
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': false } });
    const stack = new Stack(app, 'NoMetadata');
    const jobs = new sqs.Queue(stack, 'Jobs');
    const worker = new lambda.Function(stack, 'Worker', {
      runtime: lambda.Runtime.PYTHON_3_12,
      handler: 'app.record',
      code: lambda.Code.fromAsset(path.join(dir, 'py')),
      timeout: Duration.seconds(10),
      environment: { OUT: path.join(dir, 'out') },
    });
    worker.addEventSource(new sources.SqsEventSource(jobs));
    app.synth();
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'NoMetadata.template.json'), 'utf8'));
    expect(Object.values<any>(template.Resources).some((r) => r.Metadata?.['aws:cdk:path'] !== undefined)).toBe(false);
    // Plain processes on purpose: the function records what it received in a host folder.
    twin = LocalTwin.fromAssembly(outdir, { quiet: true, isolate: false });
    twin.queue('Jobs').send('hello');
    await twin.settle();
    expect(recorded().map((e) => e.Records[0].body)).toEqual(['hello']);
    expect(twin.queue('Jobs').messages()).toEqual([]);
  });
});

describe('dead-letter queues of push targets', () => {
  it('sends an event whose target function is refused to the rule target\'s DeadLetterConfig queue', async () => {
    // No AWS::Lambda::Permission for events.amazonaws.com: the invoke is refused, so the event goes to the DLQ.
    twin = samTwin([
      '  Dlq:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { QueueName: rule-dlq }',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { FunctionName: f, Runtime: python3.12, Handler: app.record, CodeUri: py }',
      '  OrderRule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern: { source: [shop] }',
      '      Targets: [ { Id: f, Arn: !GetAtt F.Arn, DeadLetterConfig: { Arn: !GetAtt Dlq.Arn } } ]',
    ]);
    twin.eventBus().put([{ source: 'shop', detailType: 'Sold', detail: { id: 1 } }]);
    await twin.settle();
    const [message] = twin.queue('Dlq').messages();
    expect(JSON.parse(message.body)).toMatchObject({ 'source': 'shop', 'detail-type': 'Sold', 'detail': { id: 1 } });
    expect(recorded()).toEqual([]);
  });

  it('sends a message an SNS subscription cannot deliver to its RedrivePolicy queue', async () => {
    twin = samTwin([
      '  Redrive:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { QueueName: sns-dlq }',
      '  News:',
      '    Type: AWS::SNS::Topic',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { FunctionName: f, Runtime: python3.12, Handler: app.record, CodeUri: py }',
      '  Sub:',
      '    Type: AWS::SNS::Subscription',
      '    Properties:',
      '      TopicArn: !Ref News',
      '      Protocol: lambda',
      '      Endpoint: !GetAtt F.Arn',
      '      RedrivePolicy: { deadLetterTargetArn: !GetAtt Redrive.Arn }',
    ]);
    twin.topic('News').publish('hello');
    await twin.settle();
    const [message] = twin.queue('Redrive').messages();
    expect(JSON.parse(message.body)).toMatchObject({ Type: 'Notification', Message: 'hello' });
    expect(recorded()).toEqual([]);
  });
});
