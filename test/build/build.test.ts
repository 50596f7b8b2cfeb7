// `lambda-twin build` like `sam build`: pip for requirements.txt, npm for package.json, esbuild for TypeScript,
// layers by BuildMethod, makefile targets; the built template runs in the twin; unchanged sources are not rebuilt.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalTwin } from '../../src';
import { buildTemplate, BuildError } from '../../src/build/build';

jest.setTimeout(180_000);

const write = (file: string, text: string): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};

/** A tiny pure-Python wheel, made here so the pip build needs no index. */
function makeWheel(dir: string, name: string, body: string): string {
  const file = path.join(dir, `${name}-1.0-py3-none-any.whl`);
  execFileSync('python3', ['-c', [
    'import sys, zipfile',
    'f, name, body = sys.argv[1:4]',
    'with zipfile.ZipFile(f, "w") as z:',
    '    z.writestr(name + "/__init__.py", body)',
    '    z.writestr(name + "-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: " + name + "\\nVersion: 1.0\\n")',
    '    z.writestr(name + "-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")',
    '    z.writestr(name + "-1.0.dist-info/RECORD", "")',
  ].join('\n'), file, name, body]);
  return file;
}

/** A local npm package tarball, so the npm builds need no registry. */
function makeTarball(dir: string, name: string, body: string): string {
  const pkg = path.join(dir, `${name}-src`);
  write(path.join(pkg, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js' }));
  write(path.join(pkg, 'index.js'), body);
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: pkg, stdio: 'ignore' });
  fs.rmSync(pkg, { recursive: true });
  return path.join(dir, `${name}-1.0.0.tgz`);
}

describe('lambda-twin build', () => {
  let dir: string;
  let twin: LocalTwin | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-build-'));
    const app = path.join(dir, 'app');
    const vendor = path.join(dir, 'vendor');
    fs.mkdirSync(vendor);
    const wheel = makeWheel(vendor, 'tinydep', "GREETING = 'from a requirement'\n");
    const layerWheel = makeWheel(vendor, 'layerdep', "VALUE = 'from a layer requirement'\n");
    const tarball = makeTarball(vendor, 'tiny-dep', "exports.greet = (n) => 'hello ' + n;\n");
    // python function with requirements.txt
    write(path.join(app, 'py', 'app.py'), 'import tinydep, layerdep\ndef handler(event, context):\n    return [tinydep.GREETING, layerdep.VALUE]\n');
    write(path.join(app, 'py', 'requirements.txt'), `${wheel}\n`);
    // python layer with BuildMethod python3.12: its content goes under python/
    write(path.join(app, 'pylayer', 'requirements.txt'), `${layerWheel}\n`);
    // nodejs function with package.json (npm install --omit=dev)
    write(path.join(app, 'node', 'index.js'), "const { greet } = require('tiny-dep');\nexports.handler = async () => greet('npm');\n");
    write(path.join(app, 'node', 'package.json'), JSON.stringify({ name: 'node-fn', version: '1.0.0', dependencies: { 'tiny-dep': `file:${tarball}` } }));
    // TypeScript function bundled by esbuild
    write(path.join(app, 'ts', 'src', 'handlers', 'app.ts'), [
      "import { greet } from 'tiny-dep';",
      "import { suffix } from '../lib/suffix';",
      'export const handler = async (event: { name: string }): Promise<string> => greet(event.name) + suffix;',
    ].join('\n'));
    write(path.join(app, 'ts', 'src', 'lib', 'suffix.ts'), "export const suffix: string = ' (bundled)';\n");
    write(path.join(app, 'ts', 'package.json'), JSON.stringify({ name: 'ts-fn', version: '1.0.0', dependencies: { 'tiny-dep': `file:${tarball}` } }));
    // makefile function
    write(path.join(app, 'mk', 'Makefile'), 'build-MakeFn:\n\tcp handler.py "$(ARTIFACTS_DIR)/"\n\techo built-by-make > "$(ARTIFACTS_DIR)/marker.txt"\n');
    write(path.join(app, 'mk', 'handler.py'), "def handler(event, context):\n    return open('marker.txt').read().strip()\n");
    // nodejs layer with BuildMethod nodejs22.x: node_modules under nodejs/
    write(path.join(app, 'nodelayer', 'package.json'), JSON.stringify({ name: 'layer', version: '1.0.0', dependencies: { 'tiny-dep': `file:${tarball}` } }));
    write(path.join(app, 'layered', 'index.js'), "exports.handler = async () => require('tiny-dep').greet('layer');\n");
    write(path.join(app, 'template.yaml'), [
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  Function:',
      '    Timeout: 30',
      'Resources:',
      '  PyFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { CodeUri: py/, Handler: app.handler, Runtime: python3.12, Layers: [!Ref PyLayer] }',
      '  PyLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: { ContentUri: pylayer/, CompatibleRuntimes: [python3.12] }',
      '    Metadata: { BuildMethod: python3.12 }',
      '  NodeFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { CodeUri: node/, Handler: index.handler, Runtime: nodejs22.x }',
      '  TsFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { CodeUri: ts/, Handler: app.handler, Runtime: nodejs22.x }',
      '    Metadata:',
      '      BuildMethod: esbuild',
      '      BuildProperties: { EntryPoints: [src/handlers/app.ts], Format: esm, OutExtension: [.js=.mjs], Target: es2022, Sourcemap: true, Minify: true, External: ["@aws-sdk/*"] }',
      '  MakeFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { CodeUri: mk/, Handler: handler.handler, Runtime: python3.12 }',
      '    Metadata: { BuildMethod: makefile }',
      '  NodeLayer:',
      '    Type: AWS::Serverless::LayerVersion',
      '    Properties: { ContentUri: nodelayer/ }',
      '    Metadata: { BuildMethod: nodejs22.x }',
      '  LayeredFn:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { CodeUri: layered/, Handler: index.handler, Runtime: nodejs22.x, Layers: [!Ref NodeLayer] }',
    ].join('\n'));
  });

  afterAll(async () => {
    await twin?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds every function and layer by its method, and the twin runs the built code', async () => {
    const result = await buildTemplate(path.join(dir, 'app', 'template.yaml'));
    expect(result.buildDir).toBe(path.join(dir, 'app', '.lambda-twin', 'build'));
    expect(Object.fromEntries(result.resources.map((r) => [r.logicalId, r.method]))).toEqual({
      PyFn: 'pip', PyLayer: 'pip', NodeFn: 'npm', TsFn: 'esbuild', MakeFn: 'makefile', NodeLayer: 'npm', LayeredFn: 'copy',
    });
    const built = (...p: string[]): string => path.join(result.buildDir, ...p);
    expect(fs.existsSync(built('PyFn', 'tinydep', '__init__.py'))).toBe(true);
    expect(fs.existsSync(built('PyLayer', 'python', 'layerdep', '__init__.py'))).toBe(true);
    expect(fs.existsSync(built('NodeFn', 'node_modules', 'tiny-dep', 'index.js'))).toBe(true);
    expect(fs.existsSync(built('NodeLayer', 'nodejs', 'node_modules', 'tiny-dep', 'index.js'))).toBe(true);
    expect(fs.readdirSync(built('TsFn')).filter((f) => !f.startsWith('.')).sort()).toEqual(['app.mjs', 'app.mjs.map']);
    expect(fs.readFileSync(built('MakeFn', 'marker.txt'), 'utf8')).toBe('built-by-make\n');

    twin = LocalTwin.fromTemplate(result.template);
    expect((await twin.invoke('PyFn')).payload).toEqual(['from a requirement', 'from a layer requirement']);
    expect((await twin.invoke('NodeFn')).payload).toBe('hello npm');
    expect((await twin.invoke('TsFn', { payload: JSON.stringify({ name: 'ts' }) })).payload).toBe('hello ts (bundled)');
    expect((await twin.invoke('MakeFn')).payload).toBe('built-by-make');
    expect((await twin.invoke('LayeredFn')).payload).toBe('hello layer');
  });

  it('reuses unchanged builds and rebuilds what changed', async () => {
    const again = await buildTemplate(path.join(dir, 'app', 'template.yaml'));
    expect(again.resources.every((r) => r.cached)).toBe(true);
    write(path.join(dir, 'app', 'mk', 'handler.py'), "def handler(event, context):\n    return 'changed'\n");
    const third = await buildTemplate(path.join(dir, 'app', 'template.yaml'));
    expect(third.resources.filter((r) => !r.cached).map((r) => r.logicalId)).toEqual(['MakeFn']);
  });

  it('names the function, the command and its last lines of output when a build fails', async () => {
    const broken = path.join(dir, 'broken');
    write(path.join(broken, 'fn', 'Makefile'), 'build-Broken:\n\t@echo compiling things\n\t@echo "error: the compiler is unhappy" >&2\n\t@exit 3\n');
    write(path.join(broken, 'template.yaml'), [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Broken:',
      '    Type: AWS::Serverless::Function',
      '    Properties: { CodeUri: fn/, Handler: a.handler, Runtime: python3.12 }',
      '    Metadata: { BuildMethod: makefile }',
    ].join('\n'));
    const failure = await buildTemplate(path.join(broken, 'template.yaml')).catch((e) => e);
    expect(failure).toBeInstanceOf(BuildError);
    expect(failure.message).toMatch(/^Building Broken failed: `make -f .*Makefile build-Broken`/);
    expect(failure.message).toContain('error: the compiler is unhappy');
    expect(failure.message).toMatch(/Error 3\n\(exit 2\)$/);
  });

  it('runs `invoke --build` from the command line', () => {
    const cli = path.join(__dirname, '..', '..', 'bin', 'lambda-twin');
    if (!fs.existsSync(path.join(__dirname, '..', '..', 'lib', 'cli', 'main.js'))) return; // compiled CLI not built yet
    const out = execFileSync(process.execPath, [cli, 'invoke', '--build', '-t', path.join(dir, 'app', 'template.yaml'), 'NodeFn', '--no-logs'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out.trim()).toBe('"hello npm"');
  });
});
