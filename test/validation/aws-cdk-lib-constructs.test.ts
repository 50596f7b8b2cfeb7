// Every aws-cdk-lib construct that creates Lambda functions or layers on its own synthesizes under LambdaValidator with
// zero errors: a validation error on a stock construct would make users switch the validator off. The warnings they
// get are listed and each is justified below.
import {
  App, Aspects, CustomResource, Duration, RemovalPolicy, Stack, aws_certificatemanager as acm, aws_iam as iam, aws_lambda as lambda,
  aws_lambda_nodejs as nodejs, aws_logs as logs, aws_route53 as route53, aws_s3 as s3, aws_s3_deployment as s3deploy, aws_s3_notifications as s3n,
  aws_sns as sns, aws_ssm as ssm, custom_resources as cr, triggers,
} from 'aws-cdk-lib';
import { fixture, newStack, synthError } from './helpers';
import { LambdaValidator } from '../../src/validation/aspect';
import { Finding, FindingSeverity } from '../../src/validation/finding';

const handlerCode = () => lambda.Code.fromInline('exports.handler = async () => ({ ok: true });');

/** Builds one construct per test case in its own stack and returns the findings and the synth error ('' when none). */
function validate(build: (stack: Stack, app: App) => void): { errors: Finding[]; warnings: string[]; synth: string } {
  const { app, stack } = newStack();
  build(stack, app);
  Aspects.of(app).add(new LambdaValidator());
  const findings = LambdaValidator.findings(app);
  const synth = synthError(app);
  return {
    errors: findings.filter((f) => f.severity === FindingSeverity.ERROR),
    warnings: [...new Set(findings.filter((f) => f.severity === FindingSeverity.WARNING).map((f) => f.code))].sort(),
    synth,
  };
}

/**
 * Each construct and the warning codes it is expected to get:
 * - LT202/LT203 never appear: aws-cdk-lib picks current runtimes for its handlers (checked on 2.276).
 * - LT601 (service principal without source) is an error and never appears: the stock permissions are scoped.
 * - LT505 (layer content on no runtime path, no compatible runtimes declared): AwsCliLayer ships `awscli/` and the
 *   deployment handler runs `/opt/awscli/aws` by absolute path, which works as deployed; a warning only.
 */
const CASES: Array<[string, (stack: Stack, app: App) => void, string[]]> = [
  ['s3-deployment BucketDeployment (with the AWS CLI layer)', (stack) => {
    const bucket = new s3.Bucket(stack, 'Site');
    new s3deploy.BucketDeployment(stack, 'Deploy', { destinationBucket: bucket, sources: [s3deploy.Source.data('index.html', '<h1>hi</h1>')] });
  }, ['LT505']],
  ['custom-resources AwsCustomResource', (stack) => {
    new cr.AwsCustomResource(stack, 'GetParameter', {
      onUpdate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'p' }, physicalResourceId: cr.PhysicalResourceId.of('p') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
  }, []],
  ['custom-resources Provider (framework onEvent/isComplete/onTimeout functions)', (stack) => {
    const onEvent = new lambda.Function(stack, 'OnEvent', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: handlerCode() });
    const isComplete = new lambda.Function(stack, 'IsComplete', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: handlerCode() });
    const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent, isCompleteHandler: isComplete, logRetention: logs.RetentionDays.ONE_DAY });
    new CustomResource(stack, 'Resource', { serviceToken: provider.serviceToken });
  }, []],
  ['aws-logs LogRetention (logRetention on a function)', (stack) => {
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: handlerCode(), logRetention: logs.RetentionDays.ONE_WEEK });
  }, []],
  ['s3 Bucket autoDeleteObjects', (stack) => {
    new s3.Bucket(stack, 'Bucket', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
  }, []],
  ['s3 bucket notifications (inline Python handler)', (stack) => {
    new s3.Bucket(stack, 'Bucket').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(new sns.Topic(stack, 'Topic')));
  }, []],
  ['triggers Trigger / TriggerFunction', (stack) => {
    new triggers.TriggerFunction(stack, 'Trigger', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: handlerCode() });
  }, []],
  ['cross-region references (export writer and reader)', (_stack, app) => {
    const producer = new Stack(app, 'Producer', { env: { account: '123456789012', region: 'us-east-1' }, crossRegionReferences: true });
    const consumer = new Stack(app, 'Consumer', { env: { account: '123456789012', region: 'eu-west-1' }, crossRegionReferences: true });
    const topic = new sns.Topic(producer, 'Topic');
    new ssm.StringParameter(consumer, 'TopicArn', { stringValue: topic.topicArn });
  }, []],
  ['route53 CrossAccountZoneDelegationRecord', (stack) => {
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'sub.example.com' });
    new route53.CrossAccountZoneDelegationRecord(stack, 'Delegate', {
      delegatedZone: zone,
      parentHostedZoneName: 'example.com',
      delegationRole: iam.Role.fromRoleArn(stack, 'DelegationRole', 'arn:aws:iam::111111111111:role/delegation'),
    });
  }, []],
  ['certificatemanager DnsValidatedCertificate', (stack) => {
    const zone = new route53.PublicHostedZone(stack, 'Zone', { zoneName: 'example.com' });
    new acm.DnsValidatedCertificate(stack, 'Cert', { domainName: 'www.example.com', hostedZone: zone, region: 'us-east-1' });
  }, []],
  ['lambda SingletonFunction', (stack) => {
    new lambda.SingletonFunction(stack, 'Singleton', { uuid: 'f7d4f730-4ee1-11e8-9c2d-fa7ae01bbebc', runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: handlerCode() });
  }, []],
  ['lambda-nodejs NodejsFunction bundled locally with esbuild', (stack) => {
    new nodejs.NodejsFunction(stack, 'Ts', { entry: fixture('node-ts-app/index.js'), runtime: lambda.Runtime.NODEJS_22_X, timeout: Duration.seconds(5), bundling: { forceDockerBundling: false } });
  }, []],
];

describe('aws-cdk-lib constructs that create Lambda functions or layers', () => {
  test.each(CASES)('%s: no errors, only the expected warnings', (_name, build, expectedWarnings) => {
    const { errors, warnings, synth } = validate(build);
    expect(errors).toEqual([]);
    expect(synth).toBe('');
    expect(warnings).toEqual(expectedWarnings);
  });
});
