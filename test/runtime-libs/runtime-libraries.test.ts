// Functions import what Lambda's managed runtimes provide (the AWS SDK for JavaScript v3, boto3) without shipping
// it, from lambda-twin's cache of the real packages; a function's own copy wins; python sees no host site-packages.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalTwin } from '../../src';
import { cachedLibraries, installRuntimeLibraries, runtimeLibsRoot } from '../../src/engine/runtime-libs/runtime-libraries';
import { discoverPythons } from '../../src/host/interpreter-discovery';
import { describeWithPrepared } from '../prepared';

jest.setTimeout(120_000);

const write = (file: string, text: string): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

describeWithPrepared('runtime-libs', '1', 'runtime-provided libraries', (preparedDir) => {
  let dir: string;
  let twin: LocalTwin;
  let savedRoot: string | undefined;

  beforeAll(async () => {
    savedRoot = process.env.LAMBDA_TWIN_RUNTIME_LIBS;
    process.env.LAMBDA_TWIN_RUNTIME_LIBS = preparedDir;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-runtime-libs-'));
    // nodejs22.x, CommonJS and ES module handlers using the SDK they do not ship
    write(path.join(dir, 'node-cjs', 'index.js'), [
      "const { S3Client, ListBucketsCommand } = require('@aws-sdk/client-s3');",
      'exports.handler = async () => ({ client: typeof S3Client, command: typeof ListBucketsCommand,',
      "  from: require.resolve('@aws-sdk/client-s3'), region: await new S3Client({}).config.region() });",
    ].join('\n'));
    write(path.join(dir, 'node-esm', 'index.mjs'), [
      "import { S3Client } from '@aws-sdk/client-s3';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'export const handler = async () => ({ client: typeof S3Client, doc: typeof DynamoDBDocumentClient });',
    ].join('\n'));
    // a function bundling its own (stand-in) SDK version gets that one
    write(path.join(dir, 'node-own', 'node_modules', '@aws-sdk', 'client-s3', 'package.json'),
      JSON.stringify({ name: '@aws-sdk/client-s3', version: '3.0.0-own', main: 'index.js' }));
    write(path.join(dir, 'node-own', 'node_modules', '@aws-sdk', 'client-s3', 'index.js'), "exports.own = 'bundled';");
    write(path.join(dir, 'node-own', 'index.js'), "exports.handler = async () => require('@aws-sdk/client-s3').own ?? 'runtime';");
    // python3.12 with boto3 it does not ship; one with its own boto3; one looking for host packages
    write(path.join(dir, 'py', 'app.py'), [
      'import importlib.util, sys',
      'import boto3',
      'def handler(event, context):',
      "    return {'version': boto3.__version__, 'file': boto3.__file__, 'pip': importlib.util.find_spec('pip') is not None,",
      "            'layer': importlib.util.find_spec('layer_mod') is not None,",
      "            'venv': importlib.util.find_spec('venv_only_mod') is not None, 'python': '%d.%d' % sys.version_info[:2]}",
    ].join('\n'));
    write(path.join(dir, 'py-own', 'boto3', '__init__.py'), "__version__ = 'own'\n");
    write(path.join(dir, 'py-own', 'app.py'), 'import boto3\ndef handler(event, context):\n    return boto3.__version__\n');
    write(path.join(dir, 'layer', 'python', 'lib', 'python3.12', 'site-packages', 'layer_mod.py'), 'VALUE = 1\n');
    const fn = (runtime: string, code: string, handler: string, extra: object = {}): object => ({
      Type: 'AWS::Lambda::Function',
      Properties: { Runtime: runtime, Handler: handler, Code: code, Timeout: 30, ...extra },
    });
    write(path.join(dir, 'template.json'), JSON.stringify({
      Resources: {
        Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: { Content: 'layer' } },
        NodeCjs: fn('nodejs22.x', 'node-cjs', 'index.handler'),
        NodeEsm: fn('nodejs22.x', 'node-esm', 'index.handler'),
        NodeOwn: fn('nodejs22.x', 'node-own', 'index.handler'),
        Py: fn('python3.12', 'py', 'app.handler', { Layers: [{ Ref: 'Layer' }] }),
        PyOwn: fn('python3.12', 'py-own', 'app.handler'),
      },
    }));
    twin = LocalTwin.fromTemplate(path.join(dir, 'template.json'));
  });

  afterAll(async () => {
    await twin?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
    if (savedRoot === undefined) delete process.env.LAMBDA_TWIN_RUNTIME_LIBS;
    else process.env.LAMBDA_TWIN_RUNTIME_LIBS = savedRoot;
  });

  it('gives a nodejs22.x CommonJS function the AWS SDK for JavaScript v3 from the cache', async () => {
    const result = await twin.invoke('NodeCjs');
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toMatchObject({ client: 'function', command: 'function', region: 'us-east-1' });
    expect(result.payload.from.startsWith(path.join(runtimeLibsRoot(), 'nodejs22.x', 'node_modules'))).toBe(true);
  });

  it('lets an ES module handler import the SDK (NODE_PATH is honoured for ESM, as on Lambda)', async () => {
    const result = await twin.invoke('NodeEsm');
    expect(result.functionError).toBeUndefined();
    expect(result.payload).toEqual({ client: 'function', doc: 'function' });
  });

  it('lets a function that bundles its own SDK version use its own', async () => {
    const result = await twin.invoke('NodeOwn');
    expect(result.payload).toBe('bundled');
  });

  it('gives a python3.12 function boto3 from the cache, layers by the runtime version, and no host site-packages', async () => {
    const result = await twin.invoke('Py');
    expect(result.functionError).toBeUndefined();
    const boto3 = cachedLibraries('python3.12').find((l) => l.name === 'boto3');
    expect(result.payload.version).toBe(boto3?.version);
    expect(result.payload.file.startsWith(path.join(runtimeLibsRoot(), 'python3.12'))).toBe(true);
    expect(result.payload.pip).toBe(false); // the host interpreter's site-packages has pip; Lambda's path does not
    expect(result.payload.layer).toBe(true);
    expect(result.payload.venv).toBe(false);
  });

  it('lets a python function that ships its own boto3 use its own', async () => {
    const result = await twin.invoke('PyOwn');
    expect(result.payload).toBe('own');
  });

  it('finds layer folders of the runtime version on a host interpreter of another version', async () => {
    const other = LocalTwin.fromTemplate(path.join(dir, 'template.json'), { pythonInterpreter: 'python3.11' });
    try {
      const result = await other.invoke('Py');
      expect(result.payload.python).toBe('3.11');
      expect(result.payload.layer).toBe(true);
    } finally {
      await other.shutdown();
    }
  });

  it('keeps the virtualenv of a venv interpreter given on purpose', async () => {
    const venv = path.join(dir, 'venv');
    execFileSync('python3.11', ['-m', 'venv', '--without-pip', venv]);
    write(path.join(venv, 'lib', 'python3.11', 'site-packages', 'venv_only_mod.py'), 'VALUE = 2\n');
    const inVenv = LocalTwin.fromTemplate(path.join(dir, 'template.json'), { pythonInterpreter: path.join(venv, 'bin', 'python') });
    try {
      const result = await inVenv.invoke('PyOwn');
      expect(result.functionError).toBeUndefined();
      const probe = await inVenv.invoke('Py');
      expect(probe.payload.venv).toBe(true);
      expect(probe.payload.pip).toBe(false);
    } finally {
      await inVenv.shutdown();
    }
  });

  it('runs a python3.12 function on a python 3.12 interpreter when the host has one installed', () => {
    if (discoverPythons('3.12').length === 0) return; // nothing to find on this host
    expect(discoverPythons('3.12')[0]).toMatch(/python3\.12$/);
  });

  it('offline, runs with what the cache has and says what is missing and the command that fetches it', async () => {
    const emptyRoot = fs.mkdtempSync(path.join(dir, 'empty-cache-'));
    const saved = { root: process.env.LAMBDA_TWIN_RUNTIME_LIBS, offline: process.env.LAMBDA_TWIN_OFFLINE };
    process.env.LAMBDA_TWIN_RUNTIME_LIBS = emptyRoot;
    process.env.LAMBDA_TWIN_OFFLINE = '1';
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const offline = LocalTwin.fromTemplate(path.join(dir, 'template.json'));
    try {
      const result = await offline.invoke('Py');
      expect(result.errorType).toBe('Runtime.ImportModuleError');
      expect(emitWarning).toHaveBeenCalledWith(
        expect.stringMatching(/python3\.12 runtime libraries boto3 are not in lambda-twin's cache .*Fetch them with `lambda-twin runtimes install python3\.12`/),
        expect.objectContaining({ code: 'LAMBDA_TWIN_RUNTIME_LIBS' }));
      const own = await offline.invoke('PyOwn'); // brings its own boto3: nothing is missing for it
      expect(own.payload).toBe('own');
    } finally {
      await offline.shutdown();
      emitWarning.mockRestore();
      process.env.LAMBDA_TWIN_RUNTIME_LIBS = saved.root;
      if (saved.offline === undefined) delete process.env.LAMBDA_TWIN_OFFLINE;
      else process.env.LAMBDA_TWIN_OFFLINE = saved.offline;
    }
  });

  it('fails an install with the client\'s own words when the package does not exist', async () => {
    const scratch = fs.mkdtempSync(path.join(dir, 'cache-'));
    const root = process.env.LAMBDA_TWIN_RUNTIME_LIBS;
    process.env.LAMBDA_TWIN_RUNTIME_LIBS = scratch;
    try {
      await expect(installRuntimeLibraries('nodejs22.x', { extraPackages: ['@aws-sdk/lambda-twin-no-such-client'] }))
        .rejects.toThrow(/Fetching the runtime libraries of nodejs22.x failed: npm install[\s\S]*404/);
    } finally {
      process.env.LAMBDA_TWIN_RUNTIME_LIBS = root;
    }
  });
});
