// Every rule, through LambdaFunction: a valid case synthesizes without the code, an invalid case reports exactly it.
import * as crypto from 'crypto';
import { Duration, Fn, Size, Stack, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { codesIn, fixture, newStack, synthError, tempDir, tempZip } from './helpers';
import { LambdaFunction, LambdaFunctionProps } from '../../src/constructs/lambda-function';
import { LambdaLayer } from '../../src/constructs/lambda-layer';
import { runtimeInfo } from '../../src/model/platform';
import { setClock } from '../../src/validation/clock';

const PY = lambda.Runtime.PYTHON_3_14;
/** Runtime names aws-cdk-lib defines, taken before any test creates its own Runtime objects. */
const CDK_RUNTIMES = lambda.Runtime.ALL.map((r) => r.name).filter((n) => n !== 'FROM_IMAGE');
const pythonHello = (): LambdaFunctionProps => ({ runtime: PY, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')) });
const nodeHello = (): LambdaFunctionProps => ({ runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(fixture('node-hello')) });

/** Builds a stack with `build`, synthesizes it, and returns the error codes and warning codes. */
function outcome(build: (stack: Stack) => void): { errors: string[]; warnings: string[]; message: string } {
  const { app, stack } = newStack();
  build(stack);
  const message = synthError(app);
  if (message) return { errors: codesIn(message), warnings: [], message };
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('LT\\d{3}')).map((w) => String(w.entry.data));
  return { errors: [], warnings: codesIn(warnings.join('\n')), message: '' };
}

interface RuleCase {
  readonly code: string;
  readonly title: string;
  readonly valid: (stack: Stack) => void;
  readonly invalid: (stack: Stack) => void;
  readonly warning?: boolean;
}

const fn = (props: Partial<LambdaFunctionProps>, base = pythonHello) => (stack: Stack) => {
  new LambdaFunction(stack, 'Fn', { ...base(), ...props } as LambdaFunctionProps);
};
const withFn = (extra: (f: LambdaFunction, stack: Stack) => void, base = pythonHello) => (stack: Stack) => {
  extra(new LambdaFunction(stack, 'Fn', base()), stack);
};
const inlinePython = (source: string) => lambda.Code.fromInline(source);
const layer = (stack: Stack, id: string, props: Partial<lambda.LayerVersionProps>) =>
  new LambdaLayer(stack, id, { code: lambda.Code.fromAsset(fixture('layer-python')), ...props });

const CASES: RuleCase[] = [
  {
    code: 'LT101',
    title: 'handler format per runtime family',
    valid: fn({ runtime: lambda.Runtime.JAVA_21, handler: 'com.example.Handler::handleRequest' }),
    invalid: fn({ ...nodeHello(), handler: 'com.example.Handler::handleRequest' }, nodeHello),
  },
  {
    code: 'LT102',
    title: 'handler length and whitespace',
    valid: fn({ handler: 'lambda_function.lambda_handler' }),
    invalid: fn({ handler: 'lambda_function. lambda_handler' }),
  },
  {
    code: 'LT103',
    title: 'inline code needs an index.* handler',
    valid: fn({ code: inlinePython('def handler(event, context):\n    return "hi"\n'), handler: 'index.handler' }),
    invalid: fn({ code: inlinePython('def handler(event, context):\n    return "hi"\n'), handler: 'main.handler' }),
  },
  {
    code: 'LT104',
    title: 'handler file exists in the asset',
    valid: fn({ handler: 'lambda_function.lambda_handler' }),
    invalid: fn({ handler: 'missing_module.lambda_handler' }),
  },
  {
    code: 'LT105',
    title: 'handler function is defined in its file',
    valid: fn({ code: lambda.Code.fromAsset(fixture('python-wrongname')), handler: 'lambda_function.handler' }),
    invalid: fn({ code: lambda.Code.fromAsset(fixture('python-wrongname')), handler: 'lambda_function.lambda_handler' }),
  },
  {
    code: 'LT201',
    title: 'runtime identifier is known',
    valid: fn({ runtime: lambda.Runtime.PYTHON_3_13 }),
    invalid: fn({ runtime: new lambda.Runtime('python9.99', lambda.RuntimeFamily.PYTHON) }),
  },
  {
    code: 'LT202',
    title: 'runtime is not deprecated',
    valid: fn({}, nodeHello),
    invalid: fn({ ...nodeHello(), runtime: lambda.Runtime.NODEJS_18_X }, nodeHello),
  },
  {
    code: 'LT301',
    title: 'memory 128-10240 MB, integer',
    valid: fn({ memorySize: 10240 }),
    invalid: fn({ memorySize: 127 }),
  },
  {
    code: 'LT302',
    title: 'timeout 1-900 s',
    valid: fn({ timeout: Duration.seconds(900) }),
    invalid: fn({ timeout: Duration.seconds(901) }),
  },
  {
    code: 'LT303',
    title: 'ephemeral storage 512-10240 MB',
    valid: fn({ ephemeralStorageSize: Size.mebibytes(512) }),
    invalid: fn({ ephemeralStorageSize: Size.mebibytes(10241) }),
  },
  {
    code: 'LT304',
    title: 'function name',
    valid: fn({ functionName: 'a'.repeat(64) }),
    invalid: fn({ functionName: 'a'.repeat(65) }),
  },
  {
    code: 'LT305',
    title: 'description length',
    valid: fn({ description: 'd'.repeat(256) }),
    invalid: fn({ description: 'd'.repeat(257) }),
  },
  {
    code: 'LT306',
    title: 'inline code at most 4 MB zipped',
    // 5 MB of one repeated character zips to a few KB: fine. Random base64 does not compress below 4 MB.
    valid: fn({ handler: 'index.handler', code: inlinePython(`# ${'a'.repeat(5 * 1024 * 1024)}\ndef handler(e, c):\n    return 1\n`) }),
    invalid: fn({ handler: 'index.handler', code: inlinePython(`# ${crypto.randomBytes(4 * 1024 * 1024).toString('base64')}\ndef handler(e, c):\n    return 1\n`) }),
  },
  {
    code: 'LT307',
    title: 'inline code only for Node.js and Python',
    valid: fn({ handler: 'index.handler', code: inlinePython('def handler(e, c):\n    return 1\n') }),
    invalid: fn({ runtime: lambda.Runtime.JAVA_21, handler: 'index.handler', code: inlinePython('class X {}') }),
  },
  {
    code: 'LT308',
    title: 'function + layers unzipped at most 250 MB',
    valid: (stack) => fn({ code: lambda.Code.fromAsset(tempZip({ 'lambda_function.py': 'def lambda_handler(e, c):\n  return 1\n', 'data.bin': 'x' }, { 'data.bin': 200_000_000 })) })(stack),
    invalid: (stack) => {
      const big = layer(stack, 'Big', { code: lambda.Code.fromAsset(tempZip({ 'python/blob.bin': 'x' }, { 'python/blob.bin': 70_000_000 })) });
      fn({ layers: [big], code: lambda.Code.fromAsset(tempZip({ 'lambda_function.py': 'def lambda_handler(e, c):\n  return 1\n', 'data.bin': 'x' }, { 'data.bin': 200_000_000 })) })(stack);
    },
  },
  {
    code: 'LT309',
    title: 'zip over 50 MB warns (direct upload limit)',
    warning: true,
    valid: fn({ code: lambda.Code.fromAsset(tempZip({ 'lambda_function.py': 'def lambda_handler(e, c):\n  return 1\n' })) }),
    invalid: fn({ code: lambda.Code.fromAsset(tempZip({ 'lambda_function.py': 'def lambda_handler(e, c):\n  return 1\n', 'blob.bin': Buffer.alloc(51 * 1024 * 1024) }, {}, ['blob.bin'])) }),
  },
  {
    code: 'LT401',
    title: 'environment key format',
    valid: fn({ environment: { AB: '1', a_b_1: '2' } }),
    invalid: fn({ environment: { '1ABC': 'x' } }),
  },
  {
    code: 'LT402',
    title: 'reserved environment keys',
    valid: fn({ environment: { MY_REGION: 'us-east-1' } }),
    invalid: fn({ environment: { AWS_REGION: 'us-east-1' } }),
  },
  {
    code: 'LT403',
    title: 'environment at most 4 KB',
    valid: fn({ environment: { BIG: 'v'.repeat(4093) } }),
    invalid: fn({ environment: { BIG: 'v'.repeat(4094) } }),
  },
  {
    code: 'LT404',
    title: 'environment with deploy-time values may exceed 4 KB',
    warning: true,
    valid: fn({ environment: { TABLE: Fn.importValue('TableName') } }),
    invalid: fn({ environment: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`VALUE_${i}`, Fn.importValue(`Export${i}`)])) }),
  },
  {
    code: 'LT501',
    title: 'at most 5 layers',
    valid: (stack) => fn({ layers: [1, 2, 3, 4, 5].map((i) => layer(stack, `L${i}`, {})) })(stack),
    invalid: (stack) => fn({ layers: [1, 2, 3, 4, 5, 6].map((i) => layer(stack, `L${i}`, {})) })(stack),
  },
  {
    code: 'LT502',
    title: 'layer runtime compatibility',
    valid: (stack) => fn({ layers: [layer(stack, 'L', { compatibleRuntimes: [PY] })] })(stack),
    invalid: (stack) => fn({ layers: [layer(stack, 'L', { compatibleRuntimes: [lambda.Runtime.PYTHON_3_12] })] })(stack),
  },
  {
    code: 'LT503',
    title: 'layer architecture compatibility',
    valid: (stack) => fn({ layers: [layer(stack, 'L', { compatibleArchitectures: [lambda.Architecture.X86_64] })] })(stack),
    invalid: (stack) => fn({ architecture: lambda.Architecture.ARM_64, layers: [layer(stack, 'L', { compatibleArchitectures: [lambda.Architecture.X86_64] })] })(stack),
  },
  {
    code: 'LT504',
    title: 'layer layout for its runtimes',
    valid: (stack) => layer(stack, 'L', { compatibleRuntimes: [PY] }),
    invalid: (stack) => layer(stack, 'L', { compatibleRuntimes: [PY], code: lambda.Code.fromAsset(fixture('layer-flat')) }),
  },
  {
    code: 'LT601',
    title: 'service principal needs sourceArn or sourceAccount',
    valid: withFn((f) => f.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: 'arn:aws:s3:::my-bucket' })),
    invalid: withFn((f) => f.addPermission('S3', { principal: new iam.ServicePrincipal('s3.amazonaws.com') })),
  },
  {
    code: 'LT602',
    title: 'permission action pattern',
    valid: withFn((f) => f.addPermission('Acct', { principal: new iam.AccountPrincipal('111122223333'), action: 'lambda:GetFunction' })),
    invalid: withFn((f) => f.addPermission('Acct', { principal: new iam.AccountPrincipal('111122223333'), action: 'invoke' })),
  },
  {
    code: 'LT603',
    title: 'sourceAccount is 12 digits',
    valid: withFn((f) => f.addPermission('Sns', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceAccount: '111122223333' })),
    invalid: withFn((f) => f.addPermission('Sns', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceAccount: '1111-2222' })),
  },
  {
    code: 'LT604',
    title: 'organization id format',
    valid: withFn((f) => f.grantInvoke(new iam.OrganizationPrincipal('o-abcdefghij'))),
    // iam.OrganizationPrincipal already rejects a bad id, so write the L1 as another library might.
    invalid: withFn((f, stack) => new lambda.CfnPermission(stack, 'Org', { action: 'lambda:InvokeFunction', functionName: f.functionName, principal: '*', principalOrgId: 'my-org' })),
  },
  {
    code: 'LT605',
    title: 'wildcard principal needs a condition',
    valid: withFn((f) => f.addPermission('Any', { principal: new iam.AnyPrincipal(), sourceAccount: '111122223333' })),
    invalid: withFn((f) => f.addPermission('Any', { principal: new iam.AnyPrincipal() })),
  },
  {
    code: 'LT606',
    title: 'resource-based policy at most 20 KB',
    valid: withFn((f) => { for (let i = 0; i < 10; i++) f.addPermission(`P${i}`, { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: `arn:aws:s3:::${'b'.repeat(50)}${i}` }); }),
    invalid: withFn((f) => { for (let i = 0; i < 80; i++) f.addPermission(`P${i}`, { principal: new iam.ServicePrincipal('s3.amazonaws.com'), sourceArn: `arn:aws:s3:::${'b'.repeat(50)}${i}` }); }),
  },
  {
    code: 'LT607',
    title: 'public Function URL warns',
    warning: true,
    valid: withFn((f) => f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM })),
    invalid: withFn((f) => f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE })),
  },
  {
    code: 'LT608',
    title: 'permission auth type matches the URL',
    valid: withFn((f) => { f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM }); f.addPermission('Url', { principal: new iam.AccountPrincipal('111122223333'), action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: lambda.FunctionUrlAuthType.AWS_IAM }); }),
    invalid: withFn((f) => { f.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM }); f.addPermission('Url', { principal: new iam.AccountPrincipal('111122223333'), action: 'lambda:InvokeFunctionUrl', functionUrlAuthType: lambda.FunctionUrlAuthType.NONE }); }),
  },
  {
    code: 'LT701',
    title: 'execution role trusts lambda.amazonaws.com',
    valid: (stack) => fn({ role: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }) })(stack),
    invalid: (stack) => fn({ role: new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }) })(stack),
  },
];

describe.each(CASES)('$code: $title', ({ code, valid, invalid, warning }) => {
  test('the valid case synthesizes without it', () => {
    const result = outcome(valid);
    expect(result.message).toBe('');
    expect(result.warnings).not.toContain(code);
  });
  test(warning ? 'the invalid case warns with it' : 'the invalid case fails synthesis with it', () => {
    const result = outcome(invalid);
    if (warning) {
      expect(result.message).toBe('');
      expect(result.warnings).toEqual([code]);
    } else {
      expect(result.errors).toEqual([code]);
      expect(result.message).toContain(`[${code}]`);
      expect(result.message).toMatch(/Fix: /);
    }
  });
});

describe('runtime lifecycle relative to now', () => {
  afterEach(() => setClock());
  test('LT203 warns within 90 days of deprecation and LT202 fails after it', () => {
    setClock(() => new Date('2027-03-01T00:00:00Z'));
    expect(outcome(fn({}, () => ({ ...nodeHello(), runtime: lambda.Runtime.NODEJS_22_X })))).toMatchObject({ errors: [], warnings: ['LT203'] });
    setClock(() => new Date('2027-05-01T00:00:00Z'));
    expect(outcome(fn({}, () => ({ ...nodeHello(), runtime: lambda.Runtime.NODEJS_22_X }))).errors).toEqual(['LT202']);
    setClock(() => new Date('2026-11-23T00:00:00Z'));
    expect(outcome(fn({}, () => ({ ...nodeHello(), runtime: lambda.Runtime.NODEJS_22_X })))).toMatchObject({ errors: [], warnings: [] });
  });
  test('every runtime in aws-cdk-lib that it does not mark deprecated is known', () => {
    expect(CDK_RUNTIMES.filter((n) => !runtimeInfo(n))).toEqual([]);
  });
});

describe('all problems are reported together', () => {
  test('one synth lists every error of every function', () => {
    const result = outcome((stack) => {
      new LambdaFunction(stack, 'A', { ...pythonHello(), memorySize: 64, timeout: Duration.seconds(1000), environment: { AWS_REGION: 'x' } });
      new LambdaFunction(stack, 'B', { ...nodeHello(), handler: 'nope.handler', functionName: 'bad name', description: 'd'.repeat(300) });
    });
    expect(result.errors).toEqual(['LT104', 'LT301', 'LT302', 'LT304', 'LT305', 'LT402']);
    expect(result.message).toMatch(/\[TestStack\/A\][^\n]*LT301/);
    expect(result.message).toMatch(/\[TestStack\/B\][^\n]*LT304/);
  });
});
