// renderSam and SamStack on plain aws-cdk-lib constructs: event sources become Events, a function's own execution
// role becomes Policies, layers become serverless layers, and what SAM cannot express stays CloudFormation.
import * as path from 'path';
import {
  App, Duration, Stack, aws_events as events, aws_events_targets as targets, aws_iam as iam, aws_lambda as lambda,
  aws_lambda_event_sources as sources, aws_sns as sns, aws_sns_subscriptions as subscriptions, aws_sqs as sqs,
} from 'aws-cdk-lib';
import { samSchemaErrors } from './sam-schema';
import { coreOf } from '../../src/core-of';
import { LocalTwin } from '../../src/local-twin';
import { renderSam } from '../../src/sam/render-sam';
import { SamCodeLocation, SamStack } from '../../src/sam/sam-stack';
import { Snapshot } from '../../src/testing';

const HELLO = path.join(__dirname, '..', '..', 'examples', 'functions', 'hello');
const LAYER = path.join(__dirname, '..', 'fixtures', 'sam', 'app', 'layers', 'shared');

/** A function with a layer, subscribed to a topic, polling a queue, on a schedule and on an event pattern. */
function eventfulStack(app: App, id: string, StackClass: typeof Stack): Stack {
  const stack = new StackClass(app, id);
  const layer = new lambda.LayerVersion(stack, 'Shared', { code: lambda.Code.fromAsset(LAYER), compatibleRuntimes: [lambda.Runtime.PYTHON_3_11] });
  const fn = new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.PYTHON_3_11,
    handler: 'lambda_function.lambda_handler',
    code: lambda.Code.fromAsset(HELLO),
    timeout: Duration.seconds(5),
    layers: [layer],
  });
  new sns.Topic(stack, 'Topic').addSubscription(new subscriptions.LambdaSubscription(fn));
  fn.addEventSource(new sources.SqsEventSource(new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(30) }), { batchSize: 5 }));
  new events.Rule(stack, 'Hourly', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn)] });
  new events.Rule(stack, 'OnUpload', { eventPattern: { source: ['aws.s3'] }, targets: [new targets.LambdaFunction(fn)] });
  return stack;
}

/** A SamStack whose CodeUri/ContentUri are the staged assets' local paths (SamCodeLocation.LOCAL_PATH). */
class LocalPathSamStack extends SamStack {
  constructor(scope: App, id: string) {
    super(scope, id, { codeLocation: SamCodeLocation.LOCAL_PATH });
  }
}

describe('a SamStack of plain aws-cdk-lib constructs with event sources', () => {
  let app: App;
  let samTemplate: any;
  let samStack: Stack;
  let cfnStack: Stack;
  beforeAll(() => {
    app = new App();
    cfnStack = eventfulStack(app, 'EventfulCfn', Stack);
    samStack = eventfulStack(app, 'EventfulSam', LocalPathSamStack);
    samTemplate = app.synth().getStackArtifact(samStack.artifactId).template;
  });

  const worker = (): any => Object.values<any>(samTemplate.Resources).find((r) => r.Type === 'AWS::Serverless::Function');

  it('turns the subscription, the event source mapping and both rules into Events', () => {
    const eventTypes = Object.values<any>(worker().Properties.Events).map((e) => e.Type).sort();
    expect(eventTypes).toEqual(['EventBridgeRule', 'SNS', 'SQS', 'Schedule']);
    const types = Object.values<any>(samTemplate.Resources).map((r) => r.Type);
    for (const replaced of ['AWS::SNS::Subscription', 'AWS::Lambda::EventSourceMapping', 'AWS::Events::Rule', 'AWS::Lambda::Permission']) {
      expect(types).not.toContain(replaced);
    }
    expect(Object.values<any>(worker().Properties.Events).find((e) => e.Type === 'SQS').Properties).toEqual({
      Queue: { 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'Arn'] }, BatchSize: 5,
    });
  });

  it('folds the function\'s own execution role into Policies (without the managed policy SAM adds itself)', () => {
    const props = worker().Properties;
    expect(props.Role).toBeUndefined();
    expect(props.Policies).toEqual([expect.objectContaining({ Statement: [expect.objectContaining({ Action: expect.arrayContaining(['sqs:ReceiveMessage']) })] })]);
    expect(Object.values<any>(samTemplate.Resources).map((r) => r.Type)).not.toContain('AWS::IAM::Role');
    expect(worker().DependsOn).toBeUndefined();
  });

  it('renders the layer as AWS::Serverless::LayerVersion with ContentUri at the staged asset', () => {
    const layer = Object.values<any>(samTemplate.Resources).find((r) => r.Type === 'AWS::Serverless::LayerVersion');
    const cfnTemplate = app.synth().getStackArtifact(cfnStack.artifactId).template;
    const cfnLayer = Object.values<any>(cfnTemplate.Resources).find((r) => r.Type === 'AWS::Lambda::LayerVersion');
    // SAM's RetentionPolicy decides the DeletionPolicy (SAM's default is Retain): it must keep CloudFormation's.
    const retention = cfnLayer.DeletionPolicy === 'Retain' ? 'Retain' : 'Delete';
    expect(layer.Properties).toEqual({ ContentUri: expect.stringMatching(/^asset\.[0-9a-f]{64}$/), CompatibleRuntimes: ['python3.11'], RetentionPolicy: retention });
    expect(layer.Metadata).toMatchObject({ 'aws:asset:property': 'ContentUri' });
  });

  it('validates against the SAM schema and matches the snapshot', () => {
    expect(samSchemaErrors(samTemplate)).toEqual([]);
    expect(Snapshot.mask(samTemplate)).toMatchSnapshot();
  });

  it('loads back with the same permissions, layer and result as the CloudFormation build', async () => {
    const cfnTwin = LocalTwin.fromStack(cfnStack);
    const samTwin = LocalTwin.fromStack(samStack);
    try {
      const principals = (twin: LocalTwin): string[] => coreOf(twin).specs[0].permissions.map((p) => p.principal).sort();
      expect(principals(samTwin)).toEqual(principals(cfnTwin));
      expect(principals(samTwin)).toEqual(['events.amazonaws.com', 'events.amazonaws.com', 'sns.amazonaws.com']);
      expect(samTwin.functions()[0].layers).toHaveLength(1);
      const event = { first_name: 'Sam', last_name: 'Stack' };
      expect((await samTwin.invoke('Worker', { event })).payload).toEqual((await cfnTwin.invoke('Worker', { event })).payload);
    } finally {
      await cfnTwin.shutdown();
      await samTwin.shutdown();
    }
  });
});

describe('renderSam', () => {
  const fn = (properties: Record<string, any>): any => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Code: { S3Bucket: 'b', S3Key: `${'a'.repeat(64)}.zip` }, Handler: 'index.handler', Runtime: 'nodejs20.x', ...properties },
  });

  it('keeps a function with a property SAM has no form for as AWS::Lambda::Function', () => {
    const out = renderSam({ Resources: { F: fn({ SomeFutureProperty: 1 }) } });
    expect(out.Resources.F.Type).toBe('AWS::Lambda::Function');
    expect(out.Transform).toBe('AWS::Serverless-2016-10-31');
  });

  it('puts the SAM transform first among other transforms, once', () => {
    expect(renderSam({ Transform: 'AWS::LanguageExtensions', Resources: {} }).Transform).toEqual(['AWS::Serverless-2016-10-31', 'AWS::LanguageExtensions']);
    expect(renderSam({ Transform: 'AWS::Serverless-2016-10-31', Resources: {} }).Transform).toBe('AWS::Serverless-2016-10-31');
  });

  it('writes CodeUri as the asset found by hash, or as {Bucket, Key} when the asset is unknown', () => {
    const lookup = (hash: string): string | undefined => (hash === 'a'.repeat(64) ? `asset.${hash}` : undefined);
    expect(renderSam({ Resources: { F: fn({}) } }, lookup).Resources.F.Properties.CodeUri).toBe(`asset.${'a'.repeat(64)}`);
    expect(renderSam({ Resources: { F: fn({}) } }).Resources.F.Properties.CodeUri).toEqual({ Bucket: 'b', Key: `${'a'.repeat(64)}.zip` });
    expect(renderSam({ Resources: { F: fn({}) } }, lookup, { localCodeUri: false }).Resources.F).toMatchObject({
      Properties: { CodeUri: { Bucket: 'b', Key: `${'a'.repeat(64)}.zip` } },
      Metadata: { 'aws:asset:path': `asset.${'a'.repeat(64)}`, 'aws:asset:property': 'CodeUri' },
    });
  });

  it('maps inline code, tracing, tags and a queue dead-letter target to their SAM forms', () => {
    const out = renderSam({
      Resources: {
        Dlq: { Type: 'AWS::SQS::Queue' },
        F: fn({
          Code: { ZipFile: 'exports.handler = async () => 1;' },
          TracingConfig: { Mode: 'Active' },
          Tags: [{ Key: 'team', Value: 'twins' }],
          DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
        }),
      },
    });
    expect(out.Resources.F.Properties).toEqual({
      InlineCode: 'exports.handler = async () => 1;',
      Handler: 'index.handler',
      Runtime: 'nodejs20.x',
      Tracing: 'Active',
      Tags: { team: 'twins' },
      DeadLetterQueue: { Type: 'SQS', TargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } },
    });
    expect(samSchemaErrors(out)).toEqual([]);
  });

  it('keeps Role when the role is shared by two functions', () => {
    const app = new App();
    const stack = new SamStack(app, 'Shared');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'));
    for (const id of ['A', 'B']) {
      new lambda.Function(stack, id, { runtime: lambda.Runtime.PYTHON_3_11, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(HELLO), role });
    }
    const template = app.synth().getStackArtifact(stack.artifactId).template;
    const functions = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Serverless::Function');
    expect(functions.map((f) => [f.Properties.Role !== undefined, f.Properties.Policies])).toEqual([[true, undefined], [true, undefined]]);
    expect(samSchemaErrors(template)).toEqual([]);
  });

  it('is checked by a schema that does reject what SAM rejects', () => {
    const bad = { Resources: { F: { Type: 'AWS::Serverless::Function', Properties: { Code: { S3Bucket: 'b', S3Key: 'k' } } } } };
    expect(samSchemaErrors(bad).join('\n')).toMatch(/must NOT have additional properties/);
  });
});
