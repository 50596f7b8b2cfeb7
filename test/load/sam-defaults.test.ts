// SAM's defaults and quirks the loader accepts the way the SAM translator and SAM CLI do: no CodeUri (the template's
// folder), InlineCode beside a CodeUri, intrinsics where SAM allows them, Mappings, imports and parameters from
// --parameter-overrides, and a missing or mis-cased CodeUri said in SAM's terms.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTemplateFile } from '../../src/load/template-file';
import { LocalTwin } from '../../src/local-twin';

const PYTHON_HANDLER = 'def handler(event, context):\n    return {"from": __file__.split("/")[-1], "got": event}\n';

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sam-defaults-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes an app folder with `files` and a SAM template; returns the template's path. */
function app(name: string, template: string, files: Record<string, string> = {}): string {
  const root = path.join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\n${template}`);
  return path.join(root, 'template.yaml');
}

async function invokeOnce(template: string, functionRef: string, event: any): Promise<any> {
  const twin = LocalTwin.fromTemplate(template, { stateDir: path.join(dir, `state-${path.basename(path.dirname(template))}`) });
  try {
    return await twin.invoke(functionRef, { event });
  } finally {
    await twin.shutdown();
  }
}

describe('code', () => {
  it('runs a function without CodeUri from the template\'s folder, as SAM CLI does', async () => {
    const template = app('no-code-uri', 'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: app.handler, Runtime: python3.11 }\n',
      { 'app.py': PYTHON_HANDLER });
    const [spec] = loadTemplateFile(template);
    expect(spec.codePath).toBe(path.dirname(template));
    expect(spec.warnings).toEqual([]);
    const result = await invokeOnce(template, 'F', { n: 1 });
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toEqual({ from: 'app.py', got: { n: 1 } });
  });

  it('takes InlineCode over a CodeUri (here from Globals), as the SAM translator does', async () => {
    const template = app('inline-and-uri', [
      'Globals:\n  Function:\n    CodeUri: src/\n',
      'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: python3.11\n',
      `      InlineCode: |\n${PYTHON_HANDLER.split('\n').map((l) => `        ${l}`).join('\n')}\n`,
    ].join(''), { 'src/app.py': 'raise Exception("not this one")\n' });
    const [spec] = loadTemplateFile(template);
    expect(spec.inlineCode).toContain('def handler');
    expect(spec.codePath).toBeUndefined();
    const result = await invokeOnce(template, 'F', 'inline');
    expect(result.payload).toEqual({ from: 'index.py', got: 'inline' });
  });

  it('says in SAM\'s terms that a CodeUri folder is missing, at load and at invoke', async () => {
    const template = app('missing', 'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: app.handler, Runtime: python3.11, CodeUri: functions/f }\n');
    const absent = path.join(path.dirname(template), 'functions', 'f');
    const message = `CodeUri and ContentUri are relative to the template's folder (looked for ${absent})`;
    expect(loadTemplateFile(template)[0].warnings).toEqual([`CodeUri of F is 'functions/f', which does not exist: ${message}`]);
    await expect(invokeOnce(template, 'F', {})).rejects.toThrow(`${template}: Resources.F.Properties.CodeUri is 'functions/f', which does not exist: ${message}`);
    await expect(invokeOnce(template, 'F', {})).rejects.not.toThrow(/cdk synth/);
  });

  it('matches the CodeUri folder case-sensitively, with a hint when only the case differs', async () => {
    const template = app('mis-cased', 'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: app.handler, Runtime: python3.11, CodeUri: Src/Hello }\n',
      { 'src/hello/app.py': PYTHON_HANDLER });
    const actual = path.join(path.dirname(template), 'src', 'hello');
    const [spec] = loadTemplateFile(template);
    expect(spec.warnings).toEqual([
      `CodeUri of F is 'Src/Hello', which does not exist: only ${actual} does, which differs in upper and lower case, ` +
      'and names are case-sensitive on Lambda (write \'src/hello\')',
    ]);
    await expect(invokeOnce(template, 'F', {})).rejects.toThrow(/Resources\.F\.Properties\.CodeUri is 'Src\/Hello', .*write 'src\/hello'/);
  });

  it('fails naming a layer whose ContentUri is missing', () => {
    const template = app('layer-missing', 'Resources:\n  L:\n    Type: AWS::Serverless::LayerVersion\n    Properties: { ContentUri: layers/Shared }\n',
      { 'layers/shared/python/m.py': '' });
    expect(() => loadTemplateFile(template)).toThrow(/Resources\.L\.Properties\.ContentUri is 'layers\/Shared', which does not exist: .*write 'layers\/shared'/);
  });
});

describe('intrinsics where SAM allows them', () => {
  const template = (): string => app('intrinsics', [
    'Parameters:\n',
    '  Auth: { Type: String, Default: AWS_IAM }\n',
    '  Arch: { Type: String, Default: arm64 }\n',
    '  Archs: { Type: CommaDelimitedList, Default: x86_64 }\n',
    '  Stage: { Type: String, Default: dev }\n',
    '  Secret: { Type: String }\n',
    'Mappings:\n  Sizes:\n    dev: { Memory: 256, Timeout: 10 }\n    prod: { Memory: 1024, Timeout: 30 }\n',
    'Resources:\n',
    '  Url:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.11\n',
    '      Architectures: !Ref Archs\n      FunctionUrlConfig: { AuthType: !Ref Auth }\n',
    '  Sized:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.11\n',
    '      Architectures: [!Ref Arch]\n',
    '      MemorySize: !FindInMap [Sizes, !Ref Stage, Memory]\n      Timeout: !FindInMap [Sizes, !Ref Stage, Timeout]\n',
    '      Environment:\n        Variables:\n          REGION_NAME: !FindInMap [Sizes, !Ref Stage, Region, { DefaultValue: none }]\n',
    '  OneArch:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: app.handler, Runtime: python3.11, Architectures: !Ref Arch, Environment: { Variables: { SECRET: !Ref Secret } } }\n',
  ].join(''), { 'app.py': PYTHON_HANDLER });
  const byId = (specs: ReturnType<typeof loadTemplateFile>, id: string) => specs.find((s) => s.logicalId === id)!;
  const overrides = { Secret: 's3cr3t' };

  it('reads FunctionUrlConfig.AuthType from a Ref and Architectures from a parameter', () => {
    const specs = loadTemplateFile(template(), { parameterOverrides: overrides });
    expect(byId(specs, 'Url')).toMatchObject({ functionUrlAuthType: 'AWS_IAM', architectures: ['x86_64'] });
    expect(byId(specs, 'Sized').architectures).toEqual(['arm64']);
    expect(byId(specs, 'OneArch').architectures).toEqual(['arm64']);
    const none = loadTemplateFile(template(), { parameterOverrides: { ...overrides, Auth: 'NONE', Archs: 'arm64' } });
    expect(byId(none, 'Url')).toMatchObject({ functionUrlAuthType: 'NONE', architectures: ['arm64'] });
  });

  it('resolves Fn::FindInMap from Mappings, with its DefaultValue', () => {
    const dev = byId(loadTemplateFile(template(), { parameterOverrides: overrides }), 'Sized');
    expect(dev).toMatchObject({ memorySize: 256, timeout: 10, environment: { REGION_NAME: 'none' } });
    const prod = byId(loadTemplateFile(template(), { parameterOverrides: { ...overrides, Stage: 'prod' } }), 'Sized');
    expect(prod).toMatchObject({ memorySize: 1024, timeout: 30 });
  });

  it('warns naming the key Fn::FindInMap does not find', () => {
    const sized = byId(loadTemplateFile(template(), { parameterOverrides: { ...overrides, Stage: 'test' } }), 'Sized');
    expect(sized.memorySize).toBe(128);
    expect(sized.warnings).toContain(
      'MemorySize of Sized cannot be resolved locally (Fn::FindInMap [Sizes, test, Memory]: Mappings.Sizes has no key \'test\'); lambda-twin uses Lambda\'s default');
  });

  it('fails naming a parameter that has no value', () => {
    expect(() => loadTemplateFile(template())).toThrow(
      /Resources\.OneArch\.Properties\.Environment\.Variables\.SECRET cannot be resolved locally: parameter 'Secret' has no Default; pass it with --parameter-overrides Secret=<value>/);
  });
});

describe('a CloudFormation template', () => {
  it('fails naming a parameter without a value, and reads Mappings and Architectures from a parameter', () => {
    const file = path.join(dir, 'cfn.json');
    fs.writeFileSync(file, JSON.stringify({
      Parameters: { Arch: { Type: 'String', Default: 'arm64' }, Table: { Type: 'String' } },
      Mappings: { M: { A: { Size: 512 } } },
      Resources: {
        F: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Runtime: 'python3.11',
            Handler: 'index.handler',
            Code: { ZipFile: 'x' },
            Architectures: [{ Ref: 'Arch' }],
            MemorySize: { 'Fn::FindInMap': ['M', 'A', 'Size'] },
            Environment: { Variables: { TABLE: { Ref: 'Table' } } },
          },
        },
      },
    }));
    expect(() => loadTemplateFile(file)).toThrow(`${file}: Resources.F.Properties.Environment.Variables.TABLE cannot be resolved locally: parameter 'Table' has no Default`);
    const [spec] = loadTemplateFile(file, { parameterOverrides: { Table: 'orders' } });
    expect(spec).toMatchObject({ memorySize: 512, architectures: ['arm64'], environment: { TABLE: 'orders' } });
  });
});

describe('what the twin does not emulate', () => {
  it('lists it by name for a SAM function: its properties, SAM-only properties and the resources its events create', () => {
    const template = app('unsupported', [
      'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n',
      '  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.11\n',
      '      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [sg-1] }\n      Tracing: Active\n',
      '      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 1 }\n',
      '      Events:\n        OnMessage: { Type: SNS, Properties: { Topic: !Ref Topic } }\n',
      '        OnIot: { Type: IoTRule, Properties: { Sql: "SELECT * FROM \'t\'" } }\n',
    ].join(''), { 'app.py': PYTHON_HANDLER });
    const [spec] = loadTemplateFile(template);
    expect(spec.unsupported).toEqual([
      'Properties.ProvisionedConcurrencyConfig: a SAM property lambda-twin does not emulate',
      'Properties.VpcConfig: the function runs in the host\'s network, not in the VPC\'s subnets and security groups',
      'Properties.TracingConfig: no X-Ray traces are sent',
      'Resources.FOnIot (AWS::IoT::TopicRule): not emulated; nothing delivers its events locally, invoke the function with such an event instead',
    ]);
  });

  it('lists nothing for a function the twin runs as written', () => {
    const template = app('plain', 'Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: { Handler: app.handler, Runtime: python3.11, MemorySize: 256, AutoPublishAlias: live }\n',
      { 'app.py': PYTHON_HANDLER });
    expect(loadTemplateFile(template)[0].unsupported).toEqual([]);
  });
});
