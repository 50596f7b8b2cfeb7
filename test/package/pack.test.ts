// The package as users get it: `npm pack`, installed into a fresh CDK app outside the repository, then
// `cdk synth` and `npx lambda-twin invoke` there. Needs the compiled lib/ (`npm test` compiles first).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function sh(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extraEnv },
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('the packed npm package in a scratch CDK app', () => {
  let scratch: string;

  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'lib', 'index.js')) || !fs.existsSync(path.join(root, 'lib', 'cli', 'main.js'))) {
      throw new Error('lib/ is not compiled: run `npx projen compile` (or `npm test`, which compiles first)');
    }
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-pack-'));
    const tarball = sh(npm, ['pack', '--silent', '--pack-destination', scratch], root).trim().split('\n').pop()!;
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
    const cdkLib = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version;
    const constructs = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'constructs', 'package.json'), 'utf8')).version;
    sh(npm, ['install', '--prefer-offline', '--no-package-lock', path.join(scratch, tarball), `aws-cdk-lib@${cdkLib}`, `constructs@${constructs}`, 'aws-cdk@2'], app);
  }, 600_000);

  afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('synthesizes with the CDK CLI and invokes the function with npx lambda-twin', () => {
    const app = path.join(scratch, 'app');
    sh(path.join(app, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '--no-notices'], app, { CDK_DISABLE_VERSION_CHECK: '1' });
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
