// LambdaValidator over plain aws-cdk-lib constructs finds the same problems as LambdaFunction does.
import { Aspects, CfnResource, Duration, Stack, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { codesIn, fixture, newStack, synthError } from './helpers';
import { LambdaFunction } from '../../src/constructs/lambda-function';
import { LambdaValidator } from '../../src/validation/aspect';

/** The same bad configuration, with either construct. Values aws-cdk-lib rejects eagerly are set on the L1. */
function badStack(stack: Stack, Fn: typeof lambda.Function) {
  const f = new Fn(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_18_X,
    handler: 'index.missing',
    code: lambda.Code.fromAsset(fixture('node-hello')),
    memorySize: 20000,
    timeout: Duration.seconds(1000),
    environment: { '9LIVES': 'x' },
  });
  f.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com') });
  new lambda.LayerVersion(stack, 'FlatLayer', { code: lambda.Code.fromAsset(fixture('layer-flat')), compatibleRuntimes: [lambda.Runtime.PYTHON_3_14] });
  (f.node.defaultChild as lambda.CfnFunction).addPropertyOverride('Environment.Variables.AWS_REGION', 'x');
}

describe('LambdaValidator', () => {
  test('catches the same problems on plain aws_lambda.Functions as LambdaFunction reports', () => {
    const plain = newStack();
    badStack(plain.stack, lambda.Function);
    Aspects.of(plain.app).add(new LambdaValidator());
    const plainCodes = codesIn(synthError(plain.app));

    const own = newStack();
    badStack(own.stack, LambdaFunction);
    Aspects.of(own.app).add(new LambdaValidator());
    const ownCodes = codesIn(synthError(own.app));

    expect(plainCodes).toEqual(['LT105', 'LT202', 'LT301', 'LT302', 'LT401', 'LT402', 'LT504', 'LT601']);
    expect(ownCodes).toEqual(plainCodes);
  });

  test('reports each problem once when LambdaFunction and the aspect both apply', () => {
    const { app, stack } = newStack();
    badStack(stack, LambdaFunction);
    Aspects.of(app).add(new LambdaValidator());
    const message = synthError(app);
    expect(message.match(/\[LT601\]/g)).toHaveLength(1);
    expect(message.match(/\[LT301\]/g)).toHaveLength(1);
  });

  test('leaves a clean stack of plain functions alone', () => {
    const { app, stack } = newStack();
    new lambda.Function(stack, 'Py', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')) });
    new lambda.Function(stack, 'Node', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(fixture('node-hello')) });
    Aspects.of(app).add(new LambdaValidator());
    expect(synthError(app)).toBe('');
  });

  test('can skip the handler-in-package check', () => {
    const { app, stack } = newStack();
    new lambda.Function(stack, 'Node', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'generated.handler', code: lambda.Code.fromAsset(fixture('node-hello')) });
    Aspects.of(app).add(new LambdaValidator({ checkHandlerInPackage: false }));
    expect(synthError(app)).toBe('');
  });

  test('validates L1 functions written directly', () => {
    const { app, stack } = newStack();
    new lambda.CfnFunction(stack, 'Raw', { role: 'arn:aws:iam::123456789012:role/x', runtime: 'nodejs99.x', handler: 'index handler', code: { zipFile: 'x' } });
    Aspects.of(app).add(new LambdaValidator());
    expect(codesIn(synthError(app))).toEqual(['LT102', 'LT201']);
  });

  test('findings() returns coded findings with path, message and fix without synthesizing', () => {
    const { stack } = newStack();
    badStack(stack, lambda.Function);
    const findings = LambdaValidator.findings(stack);
    const memory = findings.find((f) => f.code === 'LT301');
    expect(memory).toMatchObject({ severity: 'error', path: 'TestStack/Fn/Resource' });
    expect(memory?.message).toMatch(/20000/);
    expect(memory?.fix).toMatch(/memorySize/);
  });
});

describe('acknowledgements', () => {
  test('an acknowledged code is not reported and is recorded as info', () => {
    const { app, stack } = newStack();
    const f = new LambdaFunction(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')) });
    f.addPermission('Events', { principal: new iam.ServicePrincipal('events.amazonaws.com') });
    expect(codesIn(synthError(app))).toEqual(['LT601']);

    LambdaValidator.acknowledge(f, 'LT601', 'EventBridge rule ARN would create a cycle; account is private');
    expect(synthError(app)).toBe('');
    const infos = Annotations.fromStack(stack).findInfo('*', Match.stringLikeRegexp('LT601.*acknowledged'));
    expect(infos).toHaveLength(1);
    expect(String(infos[0].entry.data)).toMatch(/cycle/);
  });

  test('acknowledging one code leaves the others', () => {
    const { app, stack } = newStack();
    new LambdaFunction(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')), memorySize: 1 });
    LambdaValidator.acknowledge(stack, 'LT601', 'not relevant');
    expect(codesIn(synthError(app))).toEqual(['LT301']);
  });

  test('warnings can be acknowledged on the resource', () => {
    const { stack } = newStack();
    const f = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')) });
    const url = f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    expect(LambdaValidator.findings(stack).map((x) => x.code)).toEqual(['LT607']);
    LambdaValidator.acknowledge(url.node.defaultChild as CfnResource, 'LT607', 'public webhook');
    expect(LambdaValidator.findings(stack)).toEqual([]);
  });
});
