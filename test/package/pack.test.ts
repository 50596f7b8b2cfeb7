// The package as users get it: `npm pack`, installed into a fresh CDK app outside the repository, then
// `cdk synth` and `npx lambda-twin invoke` there. Needs the compiled lib/ (`npm test` compiles first).
import * as fs from 'fs';
import * as path from 'path';
import { npm, packInto, repoVersion, sh } from './scratch-app';

describe('the packed npm package in a scratch CDK app', () => {
  let scratch: string;

  beforeAll(() => {
    const packed = packInto('lambda-twin-pack-');
    scratch = packed.scratch;
    fs.mkdirSync(path.join(scratch, 'app', 'hello'), { recursive: true });
    const app = path.join(scratch, 'app');
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true }));
    fs.writeFileSync(path.join(app, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
    fs.writeFileSync(path.join(app, 'hello', 'lambda_function.py'), [
      'def lambda_handler(event, context):',
      "    return {'message': 'Hello {} {}!'.format(event['first_name'], event['last_name'])}",
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(app, 'app.js'), [
      "const { App, Stack, aws_lambda: lambda } = require('aws-cdk-lib');",
      "const { LambdaFunction } = require('lambda-twin');",
      'const app = new App();',
      "const stack = new Stack(app, 'ScratchStack');",
      "new LambdaFunction(stack, 'Hello', { runtime: lambda.Runtime.PYTHON_3_11, handler: 'lambda_function.lambda_handler', code: lambda.Code.fromAsset(__dirname + '/hello') });",
      'app.synth();',
      '',
    ].join('\n'));
    sh(npm, ['install', '--prefer-offline', '--no-package-lock', packed.tarball, `aws-cdk-lib@${repoVersion('aws-cdk-lib')}`, `constructs@${repoVersion('constructs')}`, 'aws-cdk@2'], app);
  }, 600_000);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('synthesizes with the CDK CLI and invokes the function with npx lambda-twin', () => {
    const app = path.join(scratch, 'app');
    sh(path.join(app, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices'], app);
    const template = JSON.parse(fs.readFileSync(path.join(app, 'cdk.out', 'ScratchStack.template.json'), 'utf8'));
    const functions = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(1);

    const out = sh('npx', ['--no-install', 'lambda-twin', 'invoke', 'Hello', '--event', '{"first_name":"John","last_name":"Smith"}'], app);
    expect(out.trim()).toBe('{"message":"Hello John Smith!"}');
  }, 300_000);

  it('ships the runtime bootstraps as real files', () => {
    const installed = path.join(scratch, 'app', 'node_modules', 'lambda-twin');
    expect(fs.existsSync(path.join(installed, 'runtimes', 'python', 'bootstrap.py'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'runtimes', 'nodejs', 'bootstrap.js'))).toBe(true);
    expect(() => fs.accessSync(path.join(installed, 'bin', 'lambda-twin'), fs.constants.X_OK)).not.toThrow();
  });
});
