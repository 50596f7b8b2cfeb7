// The poll-source loader: queues, Kinesis streams, DynamoDB streams and event source mappings from a real `cdk synth`
// of a CDK app (SqsEventSource, KinesisEventSource, DynamoEventSource) and from a SAM template (Events of type SQS,
// Kinesis, DynamoDB); mappings the twin does not emulate (MSK, a source outside the template) listed by name.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, KinesisEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { loadCloudAssemblyApp } from '../../src/load/assembly-loader';
import { loadTemplateFileApp } from '../../src/load/template-file';

jest.setTimeout(120_000);

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'poll-load-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('CDK app', () => {
  it('reads the queues, streams and mappings that SqsEventSource, KinesisEventSource and DynamoEventSource make', () => {
    const codeDir = path.join(dir, 'code');
    fs.mkdirSync(codeDir, { recursive: true });
    fs.writeFileSync(path.join(codeDir, 'app.py'), 'def handler(event, context):\n    return None\n');
    const outdir = path.join(dir, 'cdk.out');
    // The CDK CLI synthesizes with path metadata on (`aws:cdk:path` on every resource).
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    const stack = new Stack(app, 'Shop');
    const dlq = new sqs.Queue(stack, 'OrdersDlq');
    const orders = new sqs.Queue(stack, 'Orders', {
      visibilityTimeout: Duration.seconds(90),
      retentionPeriod: Duration.days(2),
      deliveryDelay: Duration.seconds(5),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 4 },
    });
    const jobs = new sqs.Queue(stack, 'Jobs', { fifo: true, contentBasedDeduplication: true });
    const clicks = new kinesis.Stream(stack, 'Clicks', { shardCount: 3 });
    const table = new dynamodb.Table(stack, 'Items', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.NUMBER },
      stream: dynamodb.StreamViewType.NEW_IMAGE,
    });
    const fn = new lambda.Function(stack, 'Handler', { runtime: lambda.Runtime.PYTHON_3_12, handler: 'app.handler', code: lambda.Code.fromAsset(codeDir) });
    fn.addEventSource(new SqsEventSource(orders, {
      batchSize: 50,
      maxBatchingWindow: Duration.seconds(2),
      reportBatchItemFailures: true,
      maxConcurrency: 3,
      filters: [lambda.FilterCriteria.filter({ body: { kind: lambda.FilterRule.isEqual('order') } })],
    }));
    fn.addEventSource(new SqsEventSource(jobs, { enabled: false }));
    fn.addEventSource(new KinesisEventSource(clicks, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      bisectBatchOnError: true,
      retryAttempts: 3,
      maxRecordAge: Duration.hours(1),
      parallelizationFactor: 2,
      onFailure: new SqsDlq(dlq),
    }));
    fn.addEventSource(new DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST, batchSize: 5 }));
    app.synth();

    const model = loadCloudAssemblyApp(outdir);
    const t = model.triggers;
    const spec = model.functions.find((f) => f.constructId === 'Handler')!;
    expect(spec.unsupported ?? []).toEqual([]);
    const q = t.queues.find((x) => x.constructId === 'Orders')!;
    expect(q).toMatchObject({
      constructPath: 'Shop/Orders/Resource', visibilityTimeoutSeconds: 90, messageRetentionPeriodSeconds: 172_800, delaySeconds: 5, fifo: false,
    });
    const d = t.queues.find((x) => x.constructId === 'OrdersDlq')!;
    expect(q.redrivePolicy).toEqual({ deadLetterTargetArn: d.arn, maxReceiveCount: 4 });
    expect(q.arn).toBe(`arn:aws:sqs:us-east-1:123456789012:${q.name}`);
    expect(q.url).toBe(`https://sqs.us-east-1.amazonaws.com/123456789012/${q.name}`);
    const j = t.queues.find((x) => x.constructId === 'Jobs')!;
    expect(j).toMatchObject({ fifo: true, contentBasedDeduplication: true, visibilityTimeoutSeconds: 30 });
    expect(j.name.endsWith('.fifo')).toBe(true);
    const k = t.streams.find((x) => x.kind === 'kinesis')!;
    expect(k).toMatchObject({ constructId: 'Clicks', shardCount: 3 });
    const s = t.streams.find((x) => x.kind === 'dynamodb')!;
    expect(s).toMatchObject({ constructId: 'Items', streamViewType: 'NEW_IMAGE', keyAttributes: ['pk', 'sk'] });

    const bySource = (arn: string) => t.eventSourceMappings.filter((m) => m.eventSourceArn === arn);
    const [om] = bySource(q.arn);
    expect(om).toMatchObject({
      functionLogicalId: spec.logicalId,
      sourceKind: 'sqs',
      enabled: true,
      batchSize: 50,
      maximumBatchingWindowSeconds: 2,
      reportBatchItemFailures: true,
      maximumConcurrency: 3,
      filters: [{ body: { kind: ['order'] } }],
    });
    expect(bySource(j.arn)[0]).toMatchObject({ enabled: false, batchSize: 10 });
    expect(bySource(k.arn)[0]).toMatchObject({
      sourceKind: 'kinesis',
      startingPosition: 'TRIM_HORIZON',
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      maximumRecordAgeSeconds: 3600,
      parallelizationFactor: 2,
      onFailureDestination: d.arn,
      batchSize: 100,
    });
    expect(bySource(s.arn)[0]).toMatchObject({ sourceKind: 'dynamodb', startingPosition: 'LATEST', batchSize: 5, maximumRetryAttempts: -1 });
  });
});

describe('SAM template', () => {
  const write = (name: string, body: string): string => {
    const root = path.join(dir, name);
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'app.py'), 'def handler(e, c):\n    return None\n');
    fs.writeFileSync(path.join(root, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${body}`);
    return path.join(root, 'template.yaml');
  };

  it('reads SQS, Kinesis and DynamoDB events, and lists the mappings it does not emulate by name', () => {
    const file = write('sam', [
      '  Q:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { QueueName: in-queue }',
      '  S:',
      '    Type: AWS::Kinesis::Stream',
      '    Properties: { ShardCount: 2 }',
      '  T:',
      '    Type: AWS::DynamoDB::Table',
      '    Properties:',
      '      KeySchema: [ { AttributeName: id, KeyType: HASH } ]',
      '      AttributeDefinitions: [ { AttributeName: id, AttributeType: S } ]',
      '      StreamSpecification: { StreamViewType: KEYS_ONLY }',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.handler',
      '      AutoPublishAlias: live',
      '      Events:',
      '        FromQueue: { Type: SQS, Properties: { Queue: !GetAtt Q.Arn, BatchSize: 7 } }',
      '        FromStream: { Type: Kinesis, Properties: { Stream: !GetAtt S.Arn, StartingPosition: LATEST, MaximumRetryAttempts: 5 } }',
      '        FromTable: { Type: DynamoDB, Properties: { Stream: !GetAtt T.StreamArn, StartingPosition: TRIM_HORIZON, FunctionResponseTypes: [ReportBatchItemFailures] } }',
      '        FromKafka: { Type: MSK, Properties: { Stream: "arn:aws:kafka:us-east-1:123456789012:cluster/c/abc", StartingPosition: LATEST, Topics: [t] } }',
      '        FromElsewhere: { Type: SQS, Properties: { Queue: "arn:aws:sqs:us-east-1:123456789012:not-here" } }',
    ].join('\n'));
    const model = loadTemplateFileApp(file, { stackName: 'Sam' });
    const t = model.triggers;
    expect(t.queues.map((q) => q.name)).toEqual(['in-queue']);
    expect(t.streams.map((s) => [s.kind, s.name, s.shardCount])).toEqual([['kinesis', 'Sam-S', 2], ['dynamodb', 'Sam-T', 1]]);
    expect(t.eventSourceMappings.map((m) => [m.logicalId, m.sourceKind, m.batchSize, m.qualifier])).toEqual([
      ['FFromQueue', 'sqs', 7, 'live'], ['FFromStream', 'kinesis', 100, 'live'], ['FFromTable', 'dynamodb', 100, 'live'],
    ]);
    expect(t.eventSourceMappings[1].maximumRetryAttempts).toBe(5);
    expect(t.eventSourceMappings[2].reportBatchItemFailures).toBe(true);
    const unsupported = model.functions[0].unsupported ?? [];
    expect(unsupported).toEqual([
      expect.stringMatching(/^Resources\.FFromKafka \(AWS::Lambda::EventSourceMapping\): not emulated: .*an Amazon MSK cluster/),
      expect.stringMatching(/^Resources\.FFromElsewhere \(AWS::Lambda::EventSourceMapping\): not emulated: its source arn:aws:sqs:us-east-1:123456789012:not-here is not a queue or stream of this template/),
    ]);
  });

  let badCount = 0;
  it('refuses invalid mappings with where and how to fix', () => {
    const bad = (events: string) => () => loadTemplateFileApp(write(`bad-${++badCount}`, [
      '  Q:',
      '    Type: AWS::SQS::Queue',
      '  S:',
      '    Type: AWS::Kinesis::Stream',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.handler',
      '      Events:',
      `        E: ${events}`,
    ].join('\n')), { stackName: 'Bad' });
    expect(bad('{ Type: SQS, Properties: { Queue: !GetAtt Q.Arn, BatchSize: 100 } }'))
      .toThrow(/Resources\.FE \(AWS::Lambda::EventSourceMapping\): Properties\.BatchSize is 100: an SQS mapping with a BatchSize over 10 needs MaximumBatchingWindowInSeconds/);
    expect(bad('{ Type: SQS, Properties: { Queue: !GetAtt Q.Arn, BatchSize: 20000, MaximumBatchingWindowInSeconds: 1 } }'))
      .toThrow(/BatchSize is 20000; it must be a whole number from 1 to 10000/);
    expect(bad('{ Type: Kinesis, Properties: { Stream: !GetAtt S.Arn } }')).toThrow(/StartingPosition is missing: a Kinesis stream mapping needs TRIM_HORIZON or LATEST/);
    expect(bad('{ Type: SQS, Properties: { Queue: !GetAtt Q.Arn, FilterCriteria: { Filters: [ { Pattern: "{nope" } ] } } }'))
      .toThrow(/FilterCriteria\.Filters\[0\]\.Pattern is not valid JSON/);
  });
});
