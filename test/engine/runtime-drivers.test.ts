// The runtime drivers and their registry, without processes: which driver runs which identifier, the versions
// they ask the host for, the variables each adds, and where inline code goes.
import { fixtureSpec } from './helpers';
import { buildEnvironmentVariables } from '../../src/engine/environment/environment-variables';
import { driverFor, interpreterVersionOf, runnableFamiliesText, runtimeFamily } from '../../src/engine/runtimes';

const paths = { taskRoot: '/t', optDir: '/o', runtimeDir: '/r', tmpDir: '/tmp/x' };

function variables(runtime: string, extra: Partial<Parameters<typeof buildEnvironmentVariables>[0]> = {}): Record<string, string> {
  return buildEnvironmentVariables({
    spec: fixtureSpec({ codePath: '/t', runtime, handler: 'x.y', environment: { PYTHONPATH: '/mine', NODE_PATH: '/mine' } }),
    paths,
    runtimeApi: '127.0.0.1:1',
    logStreamName: 'stream',
    ...extra,
  });
}

describe('the driver registry', () => {
  it('answers the platform family of an identifier, and runs go1.x with the custom-runtime driver', () => {
    expect(runtimeFamily('go1.x')).toBe('go');
    expect(driverFor('go1.x')?.family).toBe('provided');
    expect(driverFor('provided.al2')?.family).toBe('provided');
    expect(driverFor('python3.99')?.family).toBe('python');
    expect(driverFor('java21')?.family).toBe('java');
    expect(driverFor('dotnet10')).toBeUndefined();
    expect(driverFor('cobol1')).toBeUndefined();
    expect(runtimeFamily(undefined)).toBe('unknown');
    expect(runnableFamiliesText()).toBe('python, nodejs, ruby, java and provided');
  });

  it('asks the host for the language version of the catalog, or of the identifier when the catalog lacks it', () => {
    expect(interpreterVersionOf('python3.12')).toBe('3.12');
    expect(interpreterVersionOf('python3.99')).toBe('3.99');
    expect(interpreterVersionOf('nodejs20.x')).toBe('20');
    expect(interpreterVersionOf('ruby3.3')).toBe('3.3');
    expect(interpreterVersionOf('provided.al2023')).toBeUndefined();
  });

  it('writes inline code where the platform says: index.py for python, index.js for nodejs, none of its own for the rest', () => {
    expect(driverFor('python3.12')?.inlineFileName).toBe('index.py');
    expect(driverFor('nodejs20.x')?.inlineFileName).toBe('index.js');
    expect(driverFor('ruby3.3')?.inlineFileName).toBeUndefined();
    expect(driverFor('provided.al2023')?.inlineFileName).toBeUndefined();
  });
});

describe('the variables each driver adds', () => {
  // No runtime-provided libraries in these expectations: point their cache at a folder that does not exist.
  const savedLibs = process.env.LAMBDA_TWIN_RUNTIME_LIBS;
  beforeAll(() => {
    process.env.LAMBDA_TWIN_RUNTIME_LIBS = '/nonexistent/lambda-twin-runtime-libs';
  });
  afterAll(() => {
    if (savedLibs === undefined) delete process.env.LAMBDA_TWIN_RUNTIME_LIBS;
    else process.env.LAMBDA_TWIN_RUNTIME_LIBS = savedLibs;
  });

  it('python: the layer folders of the runtime version (not the host\'s), then the bootstrap, and --env-vars cannot move them', () => {
    const env = variables('python3.12', { hostVersion: '3.11', overrides: { PYTHONPATH: '/override' } });
    expect(env.PYTHONPATH).toBe('/o/python/lib/python3.12/site-packages:/o/python:/r');
    expect(env.AWS_EXECUTION_ENV).toBe('AWS_Lambda_python3.12');
  });

  it('nodejs: the versioned and plain layer node_modules, and connection reuse', () => {
    const env = variables('nodejs20.x', { overrides: { NODE_PATH: '/override' } });
    expect(env.NODE_PATH).toBe('/override'); // overridable, as before
    expect(variables('nodejs20.x').NODE_PATH).toBe('/o/nodejs/node20/node_modules:/o/nodejs/node_modules:/r/node_modules:/r:/t');
    expect(env.AWS_NODEJS_CONNECTION_REUSE_ENABLED).toBe('1');
  });

  it('ruby: the bundle and layer gems of the ABI version, and the lib folders', () => {
    const env = variables('ruby3.3');
    expect(env.GEM_PATH).toBe('/t/vendor/bundle/ruby/3.3.0:/o/ruby/gems/3.3.0');
    expect(env.RUBYLIB).toBe('/t:/o/ruby/lib');
  });

  it('provided: no search paths and no execution env', () => {
    const env = variables('provided.al2023');
    expect(env.AWS_EXECUTION_ENV).toBeUndefined();
    expect(env.PYTHONPATH).toBe('/mine');
    expect(env.NODE_PATH).toBe('/mine');
  });
});
