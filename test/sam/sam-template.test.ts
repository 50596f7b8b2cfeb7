// Hand-written SAM templates: the configuration the loader resolves (Globals, layers, parameters, Sub/Ref/GetAtt,
// events, alias, async configuration) and real invokes of their Python and Node.js functions.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTemplateFile } from '../../src/load/template-file';
import { LocalTwin } from '../../src/local-twin';
import { FunctionSpec } from '../../src/model/function-spec';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'sam');
const APP = path.join(FIXTURES, 'app', 'template.yaml');

function byId(specs: FunctionSpec[], logicalId: string): FunctionSpec {
  const spec = specs.find((s) => s.logicalId === logicalId);
  if (!spec) throw new Error(`no function ${logicalId} in ${specs.map((s) => s.logicalId).join(', ')}`);
  return spec;
}

describe('loading a hand-written SAM template', () => {
  const specs = loadTemplateFile(APP);
  const greeter = byId(specs, 'Greeter');
  const calculator = byId(specs, 'Calculator');

  it('reads only the serverless functions', () => {
    expect(specs.map((s) => s.logicalId)).toEqual(['Greeter', 'Calculator']);
  });

  it('merges Globals: maps merged, lists appended, scalars overridden', () => {
    expect(greeter).toMatchObject({ runtime: 'python3.11', handler: 'app.handler', memorySize: 512, timeout: 10, architectures: ['x86_64'] });
    expect(calculator).toMatchObject({ runtime: 'nodejs20.x', handler: 'index.handler', memorySize: 256, timeout: 30, architectures: ['arm64'] });
    expect(calculator.environment).toEqual({ STAGE: 'dev', LOG_LEVEL: 'INFO', SHARED: 'from-calculator' });
    expect(calculator.layers.map((l) => l.id)).toEqual(['SharedLayer', 'arn:aws:lambda:us-east-1:123456789012:layer:remote-tools:3']);
    expect(calculator.warnings).toEqual([expect.stringMatching(/Layer arn:aws:lambda:.*remote-tools:3 of Calculator is not in this template/)]);
  });

  it('resolves Ref to parameters, Sub with pseudo parameters and GetAtt of functions and layers', () => {
    expect(greeter.functionName).toBe('template-greeter-dev');
    expect(greeter.environment).toEqual({
      STAGE: 'dev',
      LOG_LEVEL: 'INFO',
      SHARED: 'from-function',
      GREETING: 'Hello from us-east-1 (dev)',
      CALCULATOR_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:template-Calculator',
      LAYER_ARN: 'arn:aws:lambda:us-east-1:123456789012:layer:template-shared:1',
    });
    expect(greeter.warnings).toEqual([]);
  });

  it('finds local code: a folder and a .zip, relative to the template, and the layer content', () => {
    expect(greeter.codePath).toBe(path.join(FIXTURES, 'app', 'src', 'greeter'));
    expect(calculator.codePath).toBe(path.join(FIXTURES, 'app', 'build', 'calculator.zip'));
    expect(greeter.layers).toEqual([{ id: 'SharedLayer', contentPath: path.join(FIXTURES, 'app', 'layers', 'shared'), compatibleRuntimes: ['python3.11', 'nodejs20.x'] }]);
  });

  it('publishes version 1 and the alias for AutoPublishAlias, and attaches event permissions to the alias', () => {
    expect(greeter.versions).toEqual([{ logicalId: 'GreeterVersion', version: '1' }]);
    expect(greeter.aliases).toEqual([{ logicalId: 'GreeterAliaslive', name: 'live', functionVersion: '1' }]);
    expect(greeter.permissions).toEqual([
      {
        logicalId: 'GreeterHelloApiPermission',
        action: 'lambda:InvokeFunction',
        principal: 'apigateway.amazonaws.com',
        // API ids are 10 characters, as API Gateway's are (what `Ref` to the API resolves to).
        sourceArn: expect.stringMatching(/^arn:aws:execute-api:us-east-1:123456789012:[a-z0-9]{10}\/\*\/GET\/hello\/\*$/),
        qualifier: 'live',
      },
      {
        logicalId: 'GreeterNightlyPermission',
        action: 'lambda:InvokeFunction',
        principal: 'events.amazonaws.com',
        sourceArn: 'arn:aws:events:us-east-1:123456789012:rule/template-GreeterNightly',
        qualifier: 'live',
      },
    ]);
  });

  it('creates the permissions SAM creates for SNS and S3 events, and none for a polled SQS queue', () => {
    expect(calculator.permissions).toEqual([
      expect.objectContaining({ principal: 'sns.amazonaws.com', sourceArn: 'arn:aws:sns:us-east-1:123456789012:template-Notifications' }),
      expect.objectContaining({ principal: 's3.amazonaws.com', sourceAccount: '123456789012' }),
    ]);
    expect(calculator.permissions).toHaveLength(2);
  });

  it('turns EventInvokeConfig, DeadLetterQueue and ReservedConcurrentExecutions into the async and concurrency settings', () => {
    expect(calculator.reservedConcurrency).toBe(2);
    expect(calculator.asyncConfig).toEqual({
      maximumRetryAttempts: 1,
      maximumEventAgeInSeconds: 600,
      onFailureDestination: 'arn:aws:sqs:us-east-1:123456789012:template-Failures',
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:template-Failures',
    });
  });

  it('applies --parameter-overrides over parameter defaults', () => {
    const prod = loadTemplateFile(APP, { parameterOverrides: { Stage: 'prod' } });
    expect(byId(prod, 'Greeter').functionName).toBe('template-greeter-prod');
    expect(byId(prod, 'Greeter').environment.GREETING).toBe('Hello from us-east-1 (prod)');
    expect(byId(prod, 'Calculator').environment.STAGE).toBe('prod');
  });
});

describe('values a SAM template cannot resolve locally', () => {
  const template = path.join(FIXTURES, 'unresolved', 'template.yaml');

  it('fails naming the resource and property when the handler comes from a parameter without Default', () => {
    expect(() => loadTemplateFile(template)).toThrow(
      `${template}: Resources.Worker.Properties.Handler cannot be resolved locally: parameter 'HandlerName' has no Default; ` +
      'pass it with --parameter-overrides HandlerName=<value> (parameterOverrides in code)');
  });

  it('fails naming a parameter without a value that an environment variable uses, instead of dropping the variable', () => {
    expect(() => loadTemplateFile(template, { parameterOverrides: { HandlerName: 'app.handler' } })).toThrow(
      `${template}: Resources.Worker.Properties.Environment.Variables.TABLE cannot be resolved locally: parameter 'TableName' has no Default; ` +
      'pass it with --parameter-overrides TableName=<value> (parameterOverrides in code)');
  });

  it('reports the imports nobody gave as warnings instead of empty strings', () => {
    const [worker] = loadTemplateFile(template, { parameterOverrides: { HandlerName: 'app.handler', TableName: 'orders' } });
    expect(worker.handler).toBe('app.handler');
    expect(worker.environment).toEqual({ TABLE: 'orders' });
    expect(worker.memorySize).toBe(128);
    expect(worker.warnings).toEqual([
      'MemorySize of Worker cannot be resolved locally (Fn::ImportValue "shared-memory-size" (an export of another stack); ' +
        'give its value with --parameter-overrides shared-memory-size=<value>); lambda-twin uses Lambda\'s default',
      'Environment variable FROM_OTHER_STACK of Worker cannot be resolved locally: Fn::ImportValue "other-stack-output" (an export of another stack); ' +
        'give its value with --parameter-overrides other-stack-output=<value>',
    ]);
  });

  it('takes the value of an import from --parameter-overrides under the export\'s name', () => {
    const [worker] = loadTemplateFile(template, {
      parameterOverrides: { 'HandlerName': 'app.handler', 'TableName': 'orders', 'shared-memory-size': '512', 'other-stack-output': 'from-elsewhere' },
    });
    expect(worker.memorySize).toBe(512);
    expect(worker.environment).toEqual({ TABLE: 'orders', FROM_OTHER_STACK: 'from-elsewhere' });
    expect(worker.warnings).toEqual([]);
  });

  describe('template mistakes SAM rejects, and what SAM accepts', () => {
    let dir: string;
    beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sam-bad-')); });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    const write = (body: string): string => {
      const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.yaml`);
      fs.writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\n${body}`);
      return file;
    };

    it('needs Handler and Runtime for a zip function', () => {
      const file = write('Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: python3.11, CodeUri: . }\n');
      expect(() => loadTemplateFile(file)).toThrow(/Resources\.F\.Properties\.Handler is missing: a Zip function needs Handler and Runtime/);
    });

    it('rejects Role in Globals', () => {
      const file = write('Globals:\n  Function:\n    Role: arn:aws:iam::123456789012:role/r\nResources: {}\n');
      expect(() => loadTemplateFile(file)).toThrow(/Globals\.Function\.Role is not supported/);
    });

    it('warns when a local CodeUri does not exist, relative to the template\'s folder', () => {
      const file = write('Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: a.b, Runtime: python3.11, CodeUri: missing/ }\n');
      expect(loadTemplateFile(file)[0].warnings).toEqual([
        `CodeUri of F is 'missing/', which does not exist: CodeUri and ContentUri are relative to the template's folder (looked for ${path.join(dir, 'missing')})`,
      ]);
    });
  });
});

describe('a plain CloudFormation template with local code', () => {
  it('is still read by the CloudFormation loader', () => {
    const [echo] = loadTemplateFile(path.join(FIXTURES, 'cfn', 'template.json'));
    expect(echo).toMatchObject({ logicalId: 'Echo', runtime: 'nodejs20.x', handler: 'index.handler', codePath: path.join(FIXTURES, 'cfn', 'code'), environment: { MODE: 'cfn' } });
  });
});

describe('invoking the functions of a SAM template', () => {
  let twin: LocalTwin;
  beforeAll(() => {
    const environmentVariables = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'app', 'env.json'), 'utf8'));
    twin = LocalTwin.fromTemplate(APP, { environmentVariables, parameterOverrides: { Stage: 'test' } });
  });
  afterAll(() => twin.shutdown());

  it('runs the Python function with the layer\'s module and the merged environment', async () => {
    const result = await twin.invoke('Greeter', { event: { name: 'Ada' } });
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toEqual({
      message: 'HELLO FROM US-EAST-1 (TEST) ADA!',
      stage: 'test',
      shared: 'from-function',
      extra: 'for-everyone',
      version: '$LATEST',
    });
  });

  it('runs the alias AutoPublishAlias created, on version 1', async () => {
    const result = await twin.invoke('Greeter:live', { event: { name: 'Grace' } });
    expect(result.executedVersion).toBe('1');
    expect(result.payload.message).toBe('HELLO FROM US-EAST-1 (TEST) GRACE!');
  });

  it('runs the Node.js function from its .zip with the layer\'s node module', async () => {
    const result = await twin.invoke('Calculator', { event: { a: 2, b: 40 } });
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toEqual({ sum: 42, stage: 'test', shared: 'from-env-file', extra: 'only-for-the-calculator' });
  });

  it('reports the Node.js function\'s error with its type', async () => {
    const result = await twin.invoke('Calculator', { event: { a: 'two' } });
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('TypeError');
    expect(result.payload.errorMessage).toBe('"a" and "b" must be numbers');
  });

  it('lists the --env-vars overrides, including variables the template does not declare', () => {
    const calculator = twin.functions().find((f) => f.logicalId === 'Calculator')!;
    expect(calculator.environment).toEqual({ STAGE: 'test', LOG_LEVEL: 'INFO', SHARED: 'from-env-file', EXTRA_SETTING: 'only-for-the-calculator' });
  });
});
