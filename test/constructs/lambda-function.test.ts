// LambdaFunction: a full aws_lambda.Function that synthesizes the seeds' examples cleanly and checks handlers
// against directories, zips and inline code.
import * as path from 'path';
import { aws_lambda as lambda } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaFunction, LambdaFunctionProps } from '../../src/constructs/lambda-function';
import { codesIn, fixture, newStack, synthError, tempDir, tempZip } from '../validation/helpers';

function handlerOutcome(props: Partial<LambdaFunctionProps>): string[] {
  const { app, stack } = newStack();
  new LambdaFunction(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(fixture('node-hello')), ...props } as LambdaFunctionProps);
  return codesIn(synthError(app));
}

describe('LambdaFunction', () => {
  test('is a full aws_lambda.Function', () => {
    const { stack } = newStack();
    const f = new LambdaFunction(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(fixture('node-hello')) });
    f.addAlias('live');
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Alias', 1);
  });

  test('the seeds\' example functions synthesize cleanly', () => {
    const moduleBefore = process.env.LAMBDA_TWIN_MODULE;
    process.env.LAMBDA_TWIN_MODULE = path.join(__dirname, '..', '..', 'src', 'constructs', 'lambda-function');
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { exampleStack } = require('../../examples/app.js');
      const { app } = newStack();
      const stack = exampleStack(app, 'Examples');
      expect(synthError(app)).toBe('');
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 5);
    } finally {
      if (moduleBefore === undefined) delete process.env.LAMBDA_TWIN_MODULE;
      else process.env.LAMBDA_TWIN_MODULE = moduleBefore;
    }
  });

  test.each([
    ['python module.function', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(fixture('python-hello')) }],
    ['python pkg/sub/module.function (async def)', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'app/handlers/orders.handle', code: lambda.Code.fromAsset(fixture('python-pkg')) }],
    ['python dotted module path', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'app.handlers.orders.handle', code: lambda.Code.fromAsset(fixture('python-pkg')) }],
    ['node export alias in an .mjs file', { handler: 'app.handler', code: lambda.Code.fromAsset(fixture('node-esm')) }],
    ['node handler in a folder', { handler: 'src/fn.main', code: lambda.Code.fromAsset(tempDir({ 'src/fn.js': 'module.exports.main = async () => 1;' })) }],
    ['node export async function', { handler: 'index.go', code: lambda.Code.fromAsset(tempDir({ 'index.mjs': 'export async function go() {}' })) }],
    ['node module.exports object', { handler: 'index.go', code: lambda.Code.fromAsset(tempDir({ 'index.cjs': 'const go = () => 1;\nmodule.exports = { go };' })) }],
    ['node nested export path', { handler: 'index.api.handler', code: lambda.Code.fromAsset(tempDir({ 'index.js': 'exports.api = { handler() {} };' })) }],
    ['node bundle with module.exports = __toCommonJS', { handler: 'index.handler', code: lambda.Code.fromAsset(tempDir({ 'index.js': 'module.exports = __toCommonJS(src_exports);' })) }],
    ['python in a zip', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'main.handler', code: lambda.Code.fromAsset(tempZip({ 'main.py': 'def handler(e, c):\n    return 1\n' })) }],
    ['node inline code', { handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1;') }],
  ])('accepts %s', (_name, props) => {
    expect(handlerOutcome(props)).toEqual([]);
  });

  test.each([
    ['a missing python module', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'app/handlers/payments.handle', code: lambda.Code.fromAsset(fixture('python-pkg')) }, 'LT104'],
    ['a python function only defined inside a class', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'main.handler', code: lambda.Code.fromAsset(tempDir({ 'main.py': 'class A:\n    def handler(self):\n        pass\n' })) }, 'LT105'],
    ['a node export that is not there', { handler: 'index.handle', code: lambda.Code.fromAsset(fixture('node-hello')) }, 'LT105'],
    ['a missing file in a zip', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'app.handler', code: lambda.Code.fromAsset(tempZip({ 'main.py': 'def handler(e, c):\n    return 1\n' })) }, 'LT104'],
    ['a misspelled function in a zip', { runtime: lambda.Runtime.PYTHON_3_14, handler: 'main.handle', code: lambda.Code.fromAsset(tempZip({ 'main.py': 'def handler(e, c):\n    return 1\n' })) }, 'LT105'],
    ['a misspelled export in inline code', { handler: 'index.handler', code: lambda.Code.fromInline('exports.main = async () => 1;') }, 'LT105'],
    ['a node handler that climbs out of the package', { handler: '../index.handler' }, 'LT101'],
  ])('rejects %s', (_name, props, code) => {
    expect(handlerOutcome(props)).toEqual([code]);
  });

  test('checkHandlerInPackage: false switches the package check off', () => {
    expect(handlerOutcome({ handler: 'generated.handler', checkHandlerInPackage: false })).toEqual([]);
    expect(handlerOutcome({ handler: 'generated.handler' })).toEqual(['LT104']);
  });

  test('addEnvironment with a reserved key is reported at synth with the other problems', () => {
    const { app, stack } = newStack();
    const f = new LambdaFunction(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(fixture('node-hello')), memorySize: 1 });
    f.addEnvironment('AWS_LAMBDA_RUNTIME_API', 'x');
    expect(codesIn(synthError(app))).toEqual(['LT301', 'LT402']);
  });
});
