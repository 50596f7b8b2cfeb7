// Validation as a pass: each run owns its caches (no module globals), and what the rules could not look at is a
// finding with its own code (LT001 render failure, LT002 unreadable package), never a silent pass.
import * as path from 'path';
import { App, CfnResource, Lazy, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { fixture, newStack, tempDir } from './helpers';
import { ExecutionRole } from '../../src/constructs/execution-role';
import { LambdaValidator } from '../../src/validation/aspect';
import { ValidationPass } from '../../src/validation/pass';
import { trustsLambda } from '../../src/validation/trust';

describe('ValidationPass', () => {
  test('two apps validated in the same turn of the event loop get their own pass; a later turn gets a new one', async () => {
    const a = new App();
    const b = new App();
    const passOfA = ValidationPass.of(a);
    expect(ValidationPass.of(a)).toBe(passOfA);
    expect(ValidationPass.of(b)).not.toBe(passOfA);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ValidationPass.of(a)).not.toBe(passOfA);
  });

  test('an ExecutionRole marks itself as trusting Lambda; another role is not marked', () => {
    const { stack } = newStack();
    expect(trustsLambda(new ExecutionRole(stack, 'Exec'))).toBe(true);
    expect(trustsLambda(new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }))).toBe(false);
  });
});

describe('what validation could not look at', () => {
  test('LT001: a function whose properties throw when resolved is reported, not passed', () => {
    const { stack } = newStack();
    const f = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')) });
    (f.node.defaultChild as lambda.CfnFunction).description = Lazy.string({ produce: () => { throw new Error('the description cannot be produced'); } });
    const findings = LambdaValidator.findings(stack);
    expect(findings.map((x) => [x.code, x.severity, x.path])).toEqual([['LT001', 'warning', 'TestStack/Fn/Resource']]);
    expect(findings[0].message).toContain('the description cannot be produced');
  });

  test('LT002: an asset that is not a readable zip is reported, and the rules inside the package are skipped', () => {
    const { stack } = newStack();
    const bad = path.join(tempDir({ 'code.zip': 'not a zip' }), 'code.zip');
    new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(bad) });
    const findings = LambdaValidator.findings(stack);
    expect(findings.map((x) => [x.code, x.severity])).toEqual([['LT002', 'warning']]);
    expect(findings[0].message).toMatch(/cannot be read as a zip file/);
  });

  test('LT002 on a CfnFunction whose asset path no longer exists', () => {
    const { stack } = newStack();
    const f = new lambda.CfnFunction(stack, 'Fn', { runtime: 'python3.14', handler: 'app.handler', role: 'arn:aws:iam::123456789012:role/r', code: { s3Bucket: 'b', s3Key: 'k.zip' } });
    (f as CfnResource).addMetadata('aws:asset:path', '/nonexistent/asset.zip');
    expect(LambdaValidator.findings(stack).map((x) => [x.code, x.message])).toEqual([['LT002', expect.stringContaining('/nonexistent/asset.zip does not exist')]]);
  });
});
