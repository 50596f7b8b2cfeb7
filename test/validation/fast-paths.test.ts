// The shortcuts validation takes for speed give the answers of the long way: logical ids as resolved, the Role of a
// function with an ExecutionRole read only when needed, and LT701 still reported once that role is swapped out.
import { Stack, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { codesIn, fixture, newStack, synthError } from './helpers';
import { LambdaFunction, LambdaFunctionProps } from '../../src/constructs/lambda-function';
import { ValidationPass } from '../../src/validation/pass';

const pythonHello = (): LambdaFunctionProps => ({ runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')) });
const cfnOf = (f: lambda.Function) => f.node.defaultChild as lambda.CfnFunction;
const ec2Role = (stack: Stack) => new iam.Role(stack, 'Ec2Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });

let pass = new ValidationPass();
beforeEach(() => { pass = new ValidationPass(); });
const logicalIdOf = (r: lambda.CfnFunction) => pass.logicalIdOf(r);
const render = (r: lambda.CfnFunction) => pass.render(r);
const usesTrustedRole = (r: lambda.CfnFunction) => pass.usesTrustedRole(r);

describe('validation fast paths', () => {
  test('logical ids are what resolving the logicalId token gives, overridden or not', () => {
    const { stack } = newStack();
    const plain = new LambdaFunction(stack, 'Plain', pythonHello());
    const renamed = new LambdaFunction(stack, 'Renamed', pythonHello());
    cfnOf(renamed).overrideLogicalId('MyRenamedFunction');
    for (const f of [plain, renamed]) expect(logicalIdOf(cfnOf(f))).toBe(stack.resolve(cfnOf(f).logicalId));
    expect(logicalIdOf(cfnOf(renamed))).toBe('MyRenamedFunction');
  });

  test('a permission on a function with an overridden logical id is still matched to it (LT601)', () => {
    const { app, stack } = newStack();
    const f = new LambdaFunction(stack, 'Fn', pythonHello());
    cfnOf(f).overrideLogicalId('MyRenamedFunction');
    f.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com') });
    expect(codesIn(synthError(app))).toEqual(['LT601']);
  });

  test('the rendered Role of a function with its ExecutionRole is the resolved reference when read', () => {
    const { stack } = newStack();
    const f = new LambdaFunction(stack, 'Fn', pythonHello());
    expect(usesTrustedRole(cfnOf(f))).toBe(true);
    const rendered = render(cfnOf(f));
    expect(rendered.props.Role).toEqual(stack.resolve(cfnOf(f).role));
    expect(Object.keys(rendered.props)).toContain('Role');
  });

  test('LT701 is reported when the L1 role is replaced by one that does not trust Lambda', () => {
    const { app, stack } = newStack();
    const f = new LambdaFunction(stack, 'Fn', pythonHello());
    cfnOf(f).role = ec2Role(stack).roleArn;
    expect(usesTrustedRole(cfnOf(f))).toBe(false);
    expect(codesIn(synthError(app))).toEqual(['LT701']);
  });

  test('LT701 is reported when the Role property is overridden with a role that does not trust Lambda', () => {
    const { app, stack } = newStack();
    const f = new LambdaFunction(stack, 'Fn', pythonHello());
    cfnOf(f).addPropertyOverride('Role', ec2Role(stack).roleArn);
    expect(usesTrustedRole(cfnOf(f))).toBe(false);
    expect(codesIn(synthError(app))).toEqual(['LT701']);
  });

  test('a plain aws_lambda.Function is never taken for one with an ExecutionRole', () => {
    const { stack } = newStack();
    const f = new lambda.Function(stack, 'Fn', pythonHello());
    expect(usesTrustedRole(cfnOf(f))).toBe(false);
  });
});
