// ExecutionRole: least privilege by default, and cdk-nag's AwsSolutions pack reports no errors on a default LambdaFunction.
import * as path from 'path';
import { App, ArnFormat, NestedStack, Stack, Validations, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExecutionRole } from '../../src/constructs/execution-role';
import { LambdaFunction } from '../../src/constructs/lambda-function';
import { newStack, synthError } from '../validation/helpers';

const code = () => lambda.Code.fromAsset(path.join(__dirname, '..', 'validation', 'fixtures', 'python-hello'));
const latestPython = lambda.Runtime.ALL.filter((r) => r.family === lambda.RuntimeFamily.PYTHON).map((r) => r.name)
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).pop()!;

describe('ExecutionRole', () => {
  test('a default LambdaFunction passes cdk-nag AwsSolutions with no errors', () => {
    const { app, stack } = newStack();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new LambdaFunction(stack, 'Hello', { runtime: new lambda.Runtime(latestPython, lambda.RuntimeFamily.PYTHON), handler: 'lambda_function.lambda_handler', code: code() });
    expect(synthError(app)).toBe('');
  });

  test('cdk-nag does flag the same setup on a plain aws_lambda.Function (IAM4), so the check above can fail', () => {
    const { app, stack } = newStack();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new lambda.Function(stack, 'Hello', { runtime: new lambda.Runtime(latestPython, lambda.RuntimeFamily.PYTHON), handler: 'lambda_function.lambda_handler', code: code() });
    expect(synthError(app)).toMatch(/AwsSolutions-IAM4/);
  });

  test('cdk-nag would flag the log-stream wildcard without the targeted acknowledgement', () => {
    const { app, stack } = newStack();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/lambda/x:*', arnFormat: 2 as any })] }));
    expect(synthError(app)).toMatch(/AwsSolutions-IAM5/);
  });

  test('trusts lambda.amazonaws.com, attaches no managed policy, and scopes logs to the function\'s log group', () => {
    const { stack } = newStack();
    const f = new LambdaFunction(stack, 'Hello', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: code() });
    expect(f.role).toBeInstanceOf(ExecutionRole);
    const template = Template.fromStack(stack);
    const name = template.findResources('AWS::Lambda::Function')[stack.getLogicalId(f.node.defaultChild as lambda.CfnFunction)].Properties.FunctionName;
    expect(name).toMatch(/^TestStack-Hello-[0-9a-f]{8}$/);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }] },
      ManagedPolicyArns: Match.absent(),
      Policies: [{
        PolicyName: 'logs',
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:us-east-1:123456789012:log-group:/aws/lambda/${name}:*`]] },
          }],
        },
      }],
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the generated name is stable, unique per construct path, and at most 64 characters', () => {
    const names = ['A', 'B'].map((id) => {
      const { stack } = newStack('AVeryLongStackNameThatGoesOnAndOnForQuiteAWhile');
      const f = new LambdaFunction(stack, id, { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: code() });
      return stack.resolve((f.node.defaultChild as lambda.CfnFunction).functionName) as string;
    });
    expect(names[0]).not.toEqual(names[1]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(64);
  });

  test('a user-given function name is kept', () => {
    const { stack } = newStack();
    new LambdaFunction(stack, 'Hello', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: code(), functionName: 'orders' });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { FunctionName: 'orders' });
  });

  test('in a nested stack (name unknown at synth) the log policy is a separate resource referencing the function', () => {
    const { stack } = newStack();
    const nested = new NestedStack(stack, 'Nested');
    const f = new LambdaFunction(nested, 'Hello', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: code() });
    const fnId = nested.getLogicalId(f.node.defaultChild as lambda.CfnFunction);
    Template.fromStack(nested).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: fnId }, ':*'])] } })] },
    });
  });

  test('with a known function name, the statement goes on the role itself', () => {
    const { stack } = newStack();
    new ExecutionRole(stack, 'Role', { functionName: 'orders' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      Policies: [{ PolicyName: 'logs', PolicyDocument: { Statement: [Match.objectLike({ Resource: { 'Fn::Join': ['', Match.arrayWith([':logs:us-east-1:123456789012:log-group:/aws/lambda/orders:*'])] } })] } }],
    });
  });

  test.each([
    ['an environment-specific stack', { env: { account: '123456789012', region: 'us-east-1' } }, {}],
    ['an environment-agnostic stack', {}, {}],
    ['a stack with partition literals', { env: { account: '123456789012', region: 'cn-north-1' } }, { '@aws-cdk/core:enablePartitionLiterals': true }],
    ['a stack with a region and no account', { env: { region: 'eu-west-1' } }, {}],
  ])('the log statement\'s resource is what formatArn gives, in %s', (_label, stackProps, context) => {
    const stack = new Stack(new App({ context }), 'S', stackProps);
    const nested = new NestedStack(stack, 'Nested');
    for (const scope of [stack, nested]) {
      const role = new ExecutionRole(scope, 'Role', { functionName: 'orders' });
      const policies = scope.resolve((role.node.defaultChild as iam.CfnRole).policies);
      const expected = scope.resolve(Stack.of(scope).formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/lambda/orders:*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }));
      expect(policies[0].policyDocument.Statement[0].Resource).toEqual(expected);
    }
  });

  test('a given role is used as is', () => {
    const { stack } = newStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const f = new LambdaFunction(stack, 'Hello', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: code(), role });
    expect(f.role).toBe(role);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 1);
  });
});
