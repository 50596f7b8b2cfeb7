import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, aws_lambda as lambda } from 'aws-cdk-lib';
import { Events, Snapshot } from '../../src';
import * as serializerModule from '../../src/testing/snapshot';
import { maskVolatile, snapshotSerializer } from '../../src/testing/snapshot';

const HASH = 'a'.repeat(32) + '0123456789abcdef'.repeat(2);

describe('maskVolatile', () => {
  it('masks CDK asset hashes wherever they appear', () => {
    const template = {
      Code: {
        S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
        S3Key: `${HASH}.zip`,
      },
      Metadata: { 'aws:asset:path': `asset.${HASH}`, 'aws:asset:is-bundled': false },
      Sub: { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::cdk-hnb659fds-assets-\${AWS::AccountId}/${HASH}.zip` },
      Parameters: { [`AssetParameters${HASH}S3BucketBF7A7F3F`]: { Type: 'String' } },
    };
    expect(maskVolatile(template)).toEqual({
      Code: {
        S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
        S3Key: '[ASSET HASH].zip',
      },
      Metadata: { 'aws:asset:path': 'asset.[ASSET HASH]', 'aws:asset:is-bundled': false },
      Sub: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::cdk-hnb659fds-assets-${AWS::AccountId}/[ASSET HASH].zip' },
      Parameters: { 'AssetParameters[ASSET HASH]S3Bucket': { Type: 'String' } },
    });
  });

  it('masks request ids, ISO and epoch-ms timestamps', () => {
    expect(maskVolatile({
      requestId: '8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f',
      log: 'START RequestId: 8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f Version: $LATEST',
      at: '2024-03-01T12:34:56.789Z',
      startedAt: 1709296496789,
      sentTimestamp: '1709296496789',
      requestTime: '01/Mar/2024:12:34:56 +0000',
      when: new Date(0),
    })).toEqual({
      requestId: '[REQUEST ID]',
      log: 'START RequestId: [REQUEST ID] Version: $LATEST',
      at: '[TIMESTAMP]',
      startedAt: '[TIMESTAMP]',
      sentTimestamp: '[TIMESTAMP]',
      requestTime: '[TIMESTAMP]',
      when: '[TIMESTAMP]',
    });
  });

  it('masks durations and memory used in REPORT lines and in their fields, not the configured memory', () => {
    const report = 'REPORT RequestId: 8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f\tDuration: 1.23 ms\tBilled Duration: 2 ms\t'
      + 'Memory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 145.67 ms';
    expect(maskVolatile({ report, durationMs: 1.23, billedDurationMs: 2, initDurationMs: 145.67, maxMemoryUsedMb: 70, memorySize: 128 })).toEqual({
      report: 'REPORT RequestId: [REQUEST ID]\tDuration: [DURATION] ms\tBilled Duration: [DURATION] ms\t'
        + 'Memory Size: 128 MB\tMax Memory Used: [MEMORY] MB\tInit Duration: [DURATION] ms',
      durationMs: '[DURATION]',
      billedDurationMs: '[DURATION]',
      initDurationMs: '[DURATION]',
      maxMemoryUsedMb: '[MEMORY]',
      memorySize: 128,
    });
  });

  it('leaves other data alone: names, small numbers, account ids, short hex, booleans, null', () => {
    const data = {
      FunctionName: 'orders-handler',
      MemorySize: 1024,
      Timeout: 30,
      account: '123456789012',
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
      sequence: '49590338271490256608559692538361571095921575989136588898',
      flags: [true, false, null],
      size: 1_000_000,
    };
    expect(maskVolatile(data)).toEqual(data);
  });

  it('returns a copy and leaves its input untouched', () => {
    const input = { at: '2024-03-01T12:34:56Z', nested: [{ id: '8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f' }] };
    const before = JSON.parse(JSON.stringify(input));
    const masked = maskVolatile(input);
    expect(input).toEqual(before);
    expect(masked.nested).not.toBe(input.nested);
  });

  it('is idempotent', () => {
    const event = { ...Events.sqsMessage(), report: 'Duration: 3.5 ms Max Memory Used: 60 MB', key: `${HASH}.zip`, durationMs: 3 };
    const once = maskVolatile(event);
    expect(maskVolatile(once)).toEqual(once);
  });

  it('is deterministic: events that differ only in request id and time mask to the same value', () => {
    const at = (requestId: string, time: string) => Events.functionUrl({ path: '/a', urlId: 'abc', requestId, time });
    const first = at('8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f', '2024-03-01T12:34:56Z');
    const second = at('0d3e2c1b-aaaa-4bbb-8ccc-123456789abc', '2025-07-04T08:00:00Z');
    expect(first).not.toEqual(second);
    expect(maskVolatile({ ...first, headers: undefined })).toEqual(maskVolatile({ ...second, headers: undefined }));
  });

  it('copes with cycles', () => {
    const node: any = { id: '8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f' };
    node.self = node;
    const masked = maskVolatile(node);
    expect(masked.id).toBe('[REQUEST ID]');
    expect(masked.self).toBe(masked);
  });
});

describe('the jest snapshot serializer', () => {
  beforeAll(() => expect.addSnapshotSerializer(snapshotSerializer));

  it('prints values masked', () => {
    expect({ requestId: '8f507cfc-7e7f-4b5b-9b4a-7a1b2c3d4e5f', durationMs: 12.5, s3Key: `${HASH}.zip`, name: 'fn' }).toMatchInlineSnapshot(`
{
  "durationMs": "[DURATION]",
  "name": "fn",
  "requestId": "[REQUEST ID]",
  "s3Key": "[ASSET HASH].zip",
}
`);
  });

  it('works as a snapshotSerializers module path: the module itself is the plugin', () => {
    expect(serializerModule.test).toBe(snapshotSerializer.test);
    expect(serializerModule.serialize).toBe(snapshotSerializer.serialize);
  });

  it('prints a bare volatile string masked', () => {
    expect('took Duration: 9.87 ms').toMatchInlineSnapshot('"took Duration: [DURATION] ms"');
  });

  it('claims volatile strings and numbers, and any object or array it has not masked yet', () => {
    expect(snapshotSerializer.test('plain text')).toBe(false);
    expect(snapshotSerializer.test(42)).toBe(false);
    expect(snapshotSerializer.test('2024-03-01T12:34:56Z')).toBe(true);
    expect(snapshotSerializer.test(1709296496789)).toBe(true);
    expect(snapshotSerializer.test({ a: 1 })).toBe(true);
  });
});

describe('snapshots of a CDK stack with a Code.fromAsset function', () => {
  let workDir: string;
  let assetDir: string;
  beforeEach(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-twin-snapshot-'));
    assetDir = path.join(workDir, 'handler');
    fs.mkdirSync(assetDir);
  });
  afterEach(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  function newApp(): App {
    return new App({ outdir: fs.mkdtempSync(path.join(workDir, 'cdk.out-')), context: { 'aws:cdk:enable-asset-metadata': true } });
  }

  function synth(handlerSource: string, memorySize: number): any {
    fs.writeFileSync(path.join(assetDir, 'index.js'), handlerSource);
    const app = newApp();
    const stack = new Stack(app, 'SnapshotStack');
    const fn = new lambda.Function(stack, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(assetDir),
      memorySize,
    });
    fn.addAlias('live');
    return app.synth().getStackArtifact(stack.artifactId).template;
  }

  it('masks to the same template when only the asset content changes', () => {
    const first = synth('exports.handler = async () => 1;', 256);
    const second = synth('exports.handler = async () => 2;', 256);
    expect(JSON.stringify(second)).not.toEqual(JSON.stringify(first));
    expect(JSON.stringify(first)).toMatch(/[0-9a-f]{64}\.zip/);
    expect(maskVolatile(second)).toEqual(maskVolatile(first));
    expect(JSON.stringify(maskVolatile(first))).toContain('CurrentVersion[VERSION HASH]');
  });

  it('masks to a different template when the memory size changes', () => {
    const small = maskVolatile(synth('exports.handler = async () => 1;', 256));
    const large = maskVolatile(synth('exports.handler = async () => 1;', 512));
    expect(large).not.toEqual(small);
    expect(JSON.stringify(large)).toContain('"MemorySize":512');
  });

  it('gives the masked template through Snapshot.ofStack', () => {
    fs.writeFileSync(path.join(assetDir, 'index.js'), 'exports.handler = async () => 1;');
    const app = newApp();
    const stack = new Stack(app, 'SnapshotStack');
    new lambda.Function(stack, 'Handler', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(assetDir) });
    const template = Snapshot.ofStack(stack);
    const fn = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::Lambda::Function') as any;
    expect(fn.Properties.Code.S3Key).toBe('[ASSET HASH].zip');
    expect(fn.Metadata['aws:asset:path']).toBe('asset.[ASSET HASH]');
    expect(Snapshot.mask(template)).toEqual(template);
  });
});
