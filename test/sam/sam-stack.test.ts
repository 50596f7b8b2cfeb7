// SamStack: the example app synthesized as SAM validates against the official SAM schema, keeps what SAM CLI and
// `cdk deploy` need, and behaves on the twin exactly like the same app synthesized as CloudFormation.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { samSchemaErrors } from './sam-schema';
import { coreOf } from '../../src/core-of';
import { LocalTwin } from '../../src/local-twin';
import { SamCodeLocation, SamStack } from '../../src/sam/sam-stack';
import { Snapshot } from '../../src/testing';

// The example imports lambda-twin by the name this variable gives; it is put back as it was after the file.
const moduleBefore = process.env.LAMBDA_TWIN_MODULE;
process.env.LAMBDA_TWIN_MODULE = path.join(__dirname, '..', '..', 'src');
afterAll(() => {
  if (moduleBefore === undefined) delete process.env.LAMBDA_TWIN_MODULE;
  else process.env.LAMBDA_TWIN_MODULE = moduleBefore;
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { exampleStack } = require('../../examples/app');

/** An event per example function, so every function runs (and the failing ones fail). */
const EVENTS: Record<string, any> = {
  Hello: { first_name: 'John', last_name: 'Smith' },
  Calculator: { action: 'square', number: 7 },
  Slow: { seconds: 0.1 },
};

/** A SamStack whose CodeUri is the staged asset's local path (SamCodeLocation.LOCAL_PATH). */
class LocalPathSamStack extends SamStack {
  constructor(scope: App, id: string) {
    super(scope, id, { codeLocation: SamCodeLocation.LOCAL_PATH });
  }
}

describe('the example app as a SamStack', () => {
  let app: App;
  let samStack: Stack;
  let cfnStack: Stack;
  let samTemplate: any;
  let cfnTemplate: any;
  beforeAll(() => {
    app = new App();
    cfnStack = exampleStack(app, 'ExamplesCfn');
    samStack = exampleStack(app, 'ExamplesSam', LocalPathSamStack);
    samTemplate = app.synth().getStackArtifact(samStack.artifactId).template;
    cfnTemplate = app.synth().getStackArtifact(cfnStack.artifactId).template;
  });

  it('declares the SAM transform and turns every function into AWS::Serverless::Function', () => {
    expect(samTemplate.Transform).toBe('AWS::Serverless-2016-10-31');
    const types = Object.values<any>(samTemplate.Resources).map((r) => r.Type);
    expect(types).not.toContain('AWS::Lambda::Function');
    const cfnFunctions = Object.values<any>(cfnTemplate.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(cfnFunctions.length).toBeGreaterThanOrEqual(4);
    expect(types.filter((t) => t === 'AWS::Serverless::Function')).toHaveLength(cfnFunctions.length);
  });

  it('validates against the official SAM schema', () => {
    expect(samSchemaErrors(samTemplate)).toEqual([]);
  });

  it('gives every function Role or Policies, never both', () => {
    for (const resource of Object.values<any>(samTemplate.Resources)) {
      if (resource.Type !== 'AWS::Serverless::Function') continue;
      expect([resource.Properties.Role !== undefined, resource.Properties.Policies !== undefined].filter(Boolean)).toHaveLength(1);
    }
  });

  it('points CodeUri at the staged asset in cdk.out and keeps the asset metadata SAM CLI reads', () => {
    const outdir = app.synth().directory;
    for (const resource of Object.values<any>(samTemplate.Resources)) {
      if (resource.Type !== 'AWS::Serverless::Function') continue;
      expect(resource.Properties.CodeUri).toMatch(/^asset\.[0-9a-f]{64}$/);
      expect(resource.Metadata).toMatchObject({ 'aws:asset:path': resource.Properties.CodeUri, 'aws:asset:property': 'CodeUri' });
      expect(fs.statSync(path.join(outdir, resource.Properties.CodeUri)).isDirectory()).toBe(true);
    }
  });

  it('keeps the permission SAM has no event for as CloudFormation', () => {
    const permissions = Object.values<any>(samTemplate.Resources).filter((r) => r.Type === 'AWS::Lambda::Permission');
    expect(permissions).toEqual([expect.objectContaining({ Properties: expect.objectContaining({ Principal: 'apigateway.amazonaws.com' }) })]);
  });

  it('matches the snapshot', () => {
    expect(Snapshot.mask(samTemplate)).toMatchSnapshot();
  });

  describe('on the twin', () => {
    let cfnTwin: LocalTwin;
    let samTwin: LocalTwin;
    beforeAll(() => {
      cfnTwin = LocalTwin.fromStack(cfnStack);
      samTwin = LocalTwin.fromStack(samStack);
    });
    afterAll(async () => {
      await cfnTwin.shutdown();
      await samTwin.shutdown();
    });

    it('loads the same functions with the same configuration', () => {
      const describe = (twin: LocalTwin): any[] => twin.functions().map((f) => ({
        logicalId: f.logicalId,
        constructPath: f.constructPath?.replace(/^Examples(Sam|Cfn)\//, ''),
        runtime: f.runtime,
        handler: f.handler,
        memorySize: f.memorySize,
        timeout: f.timeout,
        architectures: f.architectures,
        environment: f.environment,
        layers: f.layers,
        code: path.basename(f.codePath ?? ''),
      }));
      expect(describe(samTwin)).toEqual(describe(cfnTwin));
      expect(coreOf(samTwin).specs.map((s) => s.permissions.map((p) => [p.principal, p.sourceArn?.replace('ExamplesSam', 'X')])))
        .toEqual(coreOf(cfnTwin).specs.map((s) => s.permissions.map((p) => [p.principal, p.sourceArn?.replace('ExamplesCfn', 'X')])));
    });

    it('gives every function the same result as the CloudFormation build', async () => {
      const ids = cfnTwin.functions().map((f) => f.constructPath!.split('/')[1]);
      expect(ids).toEqual(expect.arrayContaining(['Hello', 'Region', 'Calculator', 'NotJson']));
      for (const id of ids) {
        const event = EVENTS[id] ?? {};
        const [fromCfn, fromSam] = await Promise.all([cfnTwin.invoke(id, { event }), samTwin.invoke(id, { event })]);
        // Request ids differ per invoke by design; masked, everything else must be equal.
        const outcome = (r: typeof fromCfn): any => Snapshot.mask({ payload: r.payload, functionError: r.functionError, errorType: r.errorType });
        expect({ id, ...outcome(fromSam) }).toEqual({ id, ...outcome(fromCfn) });
      }
    });
  });
});

describe('a SamStack\'s cloud assembly on disk', () => {
  let outdir: string;
  let twin: LocalTwin;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sam-assembly-'));
    const app = new App({ outdir });
    exampleStack(app, 'SamOnDisk', SamStack);
    app.synth();
    twin = LocalTwin.fromAssembly(outdir);
  });
  afterAll(async () => {
    await twin.shutdown();
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('is read by LocalTwin.fromAssembly through the SAM loader', async () => {
    expect(twin.functions().map((f) => f.runtime)).toEqual(expect.arrayContaining(['python3.11', 'nodejs22.x']));
    const result = await twin.invoke('Hello', { event: { first_name: 'Jane', last_name: 'Doe' } });
    expect(result.payload).toEqual({ message: 'Hello Jane Doe!' });
  });
});

describe('SamCodeLocation.S3, the default, for cdk deploy', () => {
  it('keeps the S3 location in CodeUri, the local path in metadata, and still runs locally', async () => {
    const app = new App();
    const stack: SamStack = exampleStack(app, 'Deployable', SamStack);
    expect(stack.codeLocation).toBe(SamCodeLocation.S3);
    const template = app.synth().getStackArtifact(stack.artifactId).template;
    expect(samSchemaErrors(template)).toEqual([]);
    const hello = Object.values<any>(template.Resources).find((r) => r.Properties?.Description?.startsWith('Greets'));
    expect(hello.Properties.CodeUri).toEqual({ Bucket: expect.anything(), Key: expect.stringMatching(/^[0-9a-f]{64}\.zip$/) });
    expect(hello.Metadata['aws:asset:path']).toMatch(/^asset\.[0-9a-f]{64}$/);
    const twin = LocalTwin.fromStack(stack);
    try {
      expect((await twin.invoke('Hello', { event: { first_name: 'A', last_name: 'B' } })).payload).toEqual({ message: 'Hello A B!' });
    } finally {
      await twin.shutdown();
    }
  });
});
