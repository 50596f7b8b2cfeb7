// Property: any props thrown at LambdaFunction either synthesize or fail with coded validation errors, never a crash.
import { Duration, Size, aws_lambda as lambda } from 'aws-cdk-lib';
import * as fc from 'fast-check';
import { LambdaFunction } from '../../src/constructs/lambda-function';
import { RESERVED_ENVIRONMENT_KEYS } from '../../src/model/platform';
import { fixture, newStack } from '../validation/helpers';

const RUNTIMES = [
  lambda.Runtime.PYTHON_3_14, lambda.Runtime.PYTHON_3_8, lambda.Runtime.NODEJS_24_X, lambda.Runtime.NODEJS_16_X,
  lambda.Runtime.JAVA_21, lambda.Runtime.RUBY_3_4, lambda.Runtime.DOTNET_10, lambda.Runtime.PROVIDED_AL2023,
  new lambda.Runtime('nodejs99.x', lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }),
];
const HANDLERS = ['lambda_function.lambda_handler', 'index.handler', 'index.missing', 'com.x.H::run', 'Asm::Ns.C::M', 'bootstrap', 'a b', '../x.y', 'x'.repeat(130), ''];
const CODES = [
  () => lambda.Code.fromAsset(fixture('python-hello')),
  () => lambda.Code.fromAsset(fixture('node-hello')),
  () => lambda.Code.fromInline('exports.handler = async () => 1;'),
];
const text = (max: number) => fc.string({ unit: fc.constantFrom('a', 'Z', '9', '_', '-', ' ', '!', 'é'), maxLength: max });

const props = fc.record({
  runtime: fc.constantFrom(...RUNTIMES),
  handler: fc.constantFrom(...HANDLERS),
  code: fc.constantFrom(...CODES),
  memorySize: fc.option(fc.oneof(fc.integer({ min: -10, max: 20000 }), fc.double({ min: 0, max: 20000, noNaN: true })), { nil: undefined }),
  timeout: fc.option(fc.integer({ min: 0, max: 2000 }), { nil: undefined }),
  ephemeral: fc.option(fc.integer({ min: 0, max: 20000 }), { nil: undefined }),
  functionName: fc.option(fc.string({ unit: fc.constantFrom('a', 'B', '1', '-', '_', '.', ' '), minLength: 1, maxLength: 80 }), { nil: undefined }),
  description: fc.option(text(300), { nil: undefined }),
  environment: fc.option(
    fc.dictionary(fc.oneof(fc.constantFrom(...RESERVED_ENVIRONMENT_KEYS), text(12).filter((k) => k.length > 0)), text(3000), { maxKeys: 4 }),
    { nil: undefined }),
  architecture: fc.constantFrom(lambda.Architecture.X86_64, lambda.Architecture.ARM_64),
});

test('random props synthesize or fail with coded validation errors only', () => {
  let failures = 0;
  fc.assert(fc.property(props, (p) => {
    const { app, stack } = newStack();
    try {
      new LambdaFunction(stack, 'Fn', {
        runtime: p.runtime,
        handler: p.handler,
        code: p.code(),
        memorySize: p.memorySize,
        timeout: p.timeout === undefined ? undefined : Duration.seconds(p.timeout),
        ephemeralStorageSize: p.ephemeral === undefined ? undefined : Size.mebibytes(p.ephemeral),
        functionName: p.functionName,
        description: p.description,
        environment: p.environment,
        architecture: p.architecture,
      });
      app.synth();
    } catch (e) {
      failures++;
      const message = (e as Error).message;
      expect(e).not.toBeInstanceOf(TypeError);
      expect(message).toMatch(/^Validation failed with the following errors:/);
      const lines = message.split('\n').slice(1).filter((l) => l.trim().startsWith('['));
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(/\] \[LT\d{3}\] /);
    }
  }), { numRuns: 2000, seed: 4242 });
  expect(failures).toBeGreaterThan(0);
});
