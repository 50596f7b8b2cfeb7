// The host interpreter is resolved past version-manager shims once and remembered on disk for later processes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

function freshRuntimesModule(): typeof import('../../src/engine/runtimes/runtimes') {
  let mod: any;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../../src/engine/runtimes/runtimes');
  });
  return mod;
}

// The cache lives in this file's own temporary folder: the poisoned entry below never reaches the shared one.
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-interpreters-'));
const cacheFile = path.join(cacheDir, 'interpreters.json');
const sharedCache = process.env.LAMBDA_TWIN_INTERPRETER_CACHE;

beforeAll(() => {
  process.env.LAMBDA_TWIN_INTERPRETER_CACHE = cacheFile;
});

afterAll(() => {
  if (sharedCache === undefined) delete process.env.LAMBDA_TWIN_INTERPRETER_CACHE;
  else process.env.LAMBDA_TWIN_INTERPRETER_CACHE = sharedCache;
  fs.rmSync(cacheDir, { recursive: true, force: true });
});

describe('host interpreter resolution', () => {
  it('finds the real python executable and its version, and caches it on disk', () => {
    const python = freshRuntimesModule().hostInterpreter('python3.11');
    expect(fs.realpathSync(python.executable)).toBe(python.executable);
    expect(fs.readFileSync(python.executable).subarray(0, 4).toString('latin1')).toBe('\x7fELF'); // a binary, not a shim script
    expect(python.version).toMatch(/^3\.\d+$/);
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    const entries = Object.values<any>(cache).filter((e) => e.executable === python.executable);
    expect(entries.length).toBeGreaterThan(0);
  });

  it('ignores a cached entry whose fingerprint no longer matches', () => {
    const real = freshRuntimesModule().hostInterpreter('python3.11');
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    for (const entry of Object.values<any>(cache)) {
      entry.executable = '/bin/sh'; // a poisoned entry…
      entry.fingerprint = 'stale'; // …that no longer matches the files it came from
    }
    fs.writeFileSync(cacheFile, JSON.stringify(cache));
    expect(freshRuntimesModule().hostInterpreter('python3.11').executable).toBe(real.executable);
  });

  it('says what to install when no interpreter is found', () => {
    expect(() => freshRuntimesModule().hostInterpreter('python3.11', { python: '/nonexistent/python9' }))
      .toThrow(/No Python interpreter found for runtime 'python3.11'.*LAMBDA_TWIN_PYTHON/);
  });
});
