// The trigger hub's routing of async-invoke destinations with real processes: an S3-triggered function whose
// on-success destination is another function, and whose on-failure destination is a custom event bus with a rule
// that matches Lambda's destination events; settle() waits for the whole chain.
import * as fs from 'fs';
import { Duration } from 'aws-cdk-lib';
import { recorded, writePushApp } from './push-fixture';
import { LocalTwin } from '../../src';

jest.setTimeout(120_000);

const recorderArn = { 'Fn::GetAtt': ['Recorder', 'Arn'] };
const fn = (name: string, handler: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { FunctionName: name, Code: 'code', Handler: handler, Runtime: 'python3.12', Role: 'arn:aws:iam::123456789012:role/r' },
});

const CHAIN_TEMPLATE = {
  Resources: {
    Recorder: fn('recorder', 'app.handler'),
    Failer: fn('failer', 'app.fail'),
    RecorderConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'Recorder' }, Qualifier: '$LATEST', DestinationConfig: { OnSuccess: { Destination: { 'Fn::GetAtt': ['Sink', 'Arn'] } } } },
    },
    Sink: fn('sink', 'app.handler'),
    FailerConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'Failer' },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:events:us-east-1:123456789012:event-bus/ops' } },
      },
    },
    OpsBus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'ops' } },
    FailureRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'OpsBus' },
        EventPattern: { 'source': ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Failure'] },
        Targets: [{ Id: 'sink', Arn: { 'Fn::GetAtt': ['Sink', 'Arn'] } }],
      },
    },
    SinkMayBeInvokedByRule: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: { Ref: 'Sink' }, Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': ['FailureRule', 'Arn'] } },
    },
    Drops: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        BucketName: 'drops',
        NotificationConfiguration: {
          LambdaConfigurations: [
            { Event: 's3:ObjectCreated:*', Function: recorderArn },
            { Event: 's3:ObjectRemoved:*', Function: { 'Fn::GetAtt': ['Failer', 'Arn'] } },
          ],
        },
      },
    },
    DropsMayInvoke: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: recorderArn, Principal: 's3.amazonaws.com', SourceAccount: '123456789012' },
    },
    DropsMayInvokeFailer: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:*', FunctionName: { Ref: 'Failer' }, Principal: 's3.amazonaws.com', SourceArn: 'arn:aws:s3:::drops' },
    },
  },
};

describe('the trigger hub', () => {
  let app: ReturnType<typeof writePushApp>;
  let twin: LocalTwin;
  beforeAll(() => {
    app = writePushApp(CHAIN_TEMPLATE);
    // Plain processes on purpose: the functions record what they received in a host folder.
    twin = LocalTwin.fromTemplate(app.templateFile, {
      environment: { OUT: app.out }, quiet: true, isolate: false, asyncRetryDelay: Duration.millis(10),
    });
  });
  afterAll(async () => {
    await twin?.shutdown();
    fs.rmSync(app.dir, { recursive: true, force: true });
  });

  it('sends an on-success destination record to the destination function: S3 → recorder → sink', async () => {
    twin.bucket('drops').putObject('a.txt', 'x');
    await twin.settle();
    const [record] = recorded(app.out, 'sink');
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'Success', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:recorder:$LATEST' },
      requestPayload: { Records: [{ eventSource: 'aws:s3', s3: { object: { key: 'a.txt' } } }] },
      responsePayload: { ok: true },
    });
    expect(twin.destinationRecords('arn:aws:lambda:us-east-1:123456789012:function:sink')).toHaveLength(1);
  });

  it('sends an on-failure destination record to an event bus, whose rule delivers it: S3 → failer → bus ops → sink', async () => {
    twin.bucket('drops').deleteObject('a.txt');
    await twin.settle();
    const events = recorded(app.out, 'sink').filter((e) => e.source === 'lambda');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      'detail-type': 'Lambda Function Invocation Result - Failure',
      'detail': { requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 }, responseContext: { functionError: 'Unhandled' } },
    });
    const sources = twin.triggerDeliveries().map((d) => `${d.source} → ${d.functionName}: ${d.outcome}`);
    expect(sources).toEqual([
      'S3 Drops → recorder: ok',
      'Destination → sink: ok',
      'S3 Drops → failer: error',
      'EventBridge ops → sink: ok',
    ]);
  });
});
