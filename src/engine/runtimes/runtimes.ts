// How each runtime family starts on this host: which interpreter, which bootstrap, which search paths.
// The bootstraps themselves are real files in the package's `runtimes/` folder.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverNodes, discoverPythons } from '../../host/interpreter-discovery';

/** The folder holding our bootstraps (`runtimes/python/bootstrap.py`, `runtimes/nodejs/bootstrap.js`). */
export const RUNTIMES_DIR = path.resolve(__dirname, '..', '..', '..', 'runtimes');

export type RuntimeFamily = 'python' | 'nodejs' | 'provided' | 'java' | 'ruby' | 'dotnet' | 'unknown';

export function runtimeFamily(runtime: string | undefined): RuntimeFamily {
  if (!runtime) return 'unknown';
  if (runtime.startsWith('python')) return 'python';
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('provided') || runtime === 'go1.x') return 'provided';
  if (runtime.startsWith('java')) return 'java';
  if (runtime.startsWith('ruby')) return 'ruby';
  if (runtime.startsWith('dotnet')) return 'dotnet';
  return 'unknown';
}

/** A resolved host interpreter. */
export interface HostInterpreter {
  /** Real path of the executable (never a shim). */
  readonly executable: string;
  /** Its version, e.g. `3.11` or `20`. */
  readonly version: string;
}

/** Options that change how interpreters are found. */
export interface InterpreterOverrides {
  /** Absolute path (or command name) of the Python interpreter to use for every python runtime. */
  readonly python?: string;
  /** Absolute path (or command name) of the Node.js executable to use for every nodejs runtime. */
  readonly node?: string;
  /** Absolute path (or command name) of the Ruby interpreter to use for every ruby runtime (else LAMBDA_TWIN_RUBY). */
  readonly ruby?: string;
}

const resolved = new Map<string, HostInterpreter>();

/**
 * Finds the host's interpreter for a runtime once per process: the real executable behind any shim
 * (pyenv shims cost ~90 ms a start), and its version.
 */
export function hostInterpreter(runtime: string, overrides: InterpreterOverrides = {}): HostInterpreter {
  const family = runtimeFamily(runtime);
  const key = `${family}:${runtime}:${overrides.python ?? ''}:${overrides.node ?? ''}:${overrides.ruby ?? ''}`;
  const cached = resolved.get(key);
  if (cached) return cached;
  let found: HostInterpreter;
  if (family === 'python') {
    found = resolvePython(runtime, overrides.python);
  } else if (family === 'nodejs') {
    found = resolveNode(runtime, overrides.node);
  } else if (family === 'ruby') {
    found = resolveRuby(runtime, overrides.ruby ?? process.env.LAMBDA_TWIN_RUBY);
  } else {
    throw new Error(`lambda-twin has no host interpreter for runtime '${runtime}'`);
  }
  resolved.set(key, found);
  return found;
}

function resolvePython(runtime: string, override: string | undefined): HostInterpreter {
  const wanted = runtime.replace(/^python/, ''); // "3.12"
  // The declared version first: on PATH, then pyenv/asdf/uv/mise installs; the host's python3 last.
  const candidates = override ? [override] : [`python${wanted}`, ...discoverPythons(wanted), 'python3'];
  const errors: string[] = [];
  // A virtualenv's interpreter keeps its venv (its path is not resolved to the base interpreter).
  const found = firstInterpreter(candidates, ['-c', 'import sys;print(sys.executable);print("%d.%d" % sys.version_info[:2]);' +
    'print("venv" if sys.prefix != sys.base_prefix else "")'], errors);
  if (found) return found;
  throw new Error(
    `No Python interpreter found for runtime '${runtime}' (tried ${errors.join('; ')}). ` +
    'Install Python 3 or set the interpreter with the `pythonInterpreter` option / LAMBDA_TWIN_PYTHON.',
  );
}

// Asking a version-manager shim (pyenv) which interpreter it means costs 90 ms to seconds a process; test files
// each run in a new process, so the answer is cached on disk. The key covers everything the shim decides by
// (the command, PATH, the working folder, PYENV_VERSION) and the entry is checked against the files it came from.
const INTERPRETER_CACHE = path.join(os.tmpdir(), `lambda-twin-interpreters-${process.getuid?.() ?? 0}.json`);

function interpreterCacheKey(candidate: string): string {
  // 'v2': entries since a venv's interpreter keeps its venv path (older entries resolved it to the base binary)
  return ['v2', candidate, process.env.PATH ?? '', process.cwd(), process.env.PYENV_VERSION ?? '', process.env.RBENV_VERSION ?? ''].join('\0');
}

/**
 * Modification times of what decides which interpreter a command means: the command itself and the version files
 * of pyenv and rbenv.
 */
function interpreterFingerprint(candidate: string): string {
  const files: string[] = [];
  if (candidate.includes('/')) files.push(candidate);
  else for (const dir of (process.env.PATH ?? '').split(':')) if (dir) files.push(path.join(dir, candidate));
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(os.homedir(), '.pyenv');
  files.push(path.join(pyenvRoot, 'version'));
  files.push(path.join(process.env.RBENV_ROOT ?? path.join(os.homedir(), '.rbenv'), 'version'));
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    files.push(path.join(dir, '.python-version'), path.join(dir, '.ruby-version'));
    if (path.dirname(dir) === dir) break;
  }
  return files.map((f) => {
    try {
      return String(fs.statSync(f).mtimeMs);
    } catch {
      return '-';
    }
  }).join(',');
}

function readInterpreterCache(candidate: string): HostInterpreter | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(INTERPRETER_CACHE, 'utf8'))[interpreterCacheKey(candidate)];
    if (entry && entry.fingerprint === interpreterFingerprint(candidate) && fs.existsSync(entry.executable)) {
      return { executable: entry.executable, version: entry.version };
    }
  } catch {
    // no cache yet, or an unreadable one: ask the interpreter
  }
  return undefined;
}

function writeInterpreterCache(candidate: string, found: HostInterpreter): void {
  try {
    let cache: Record<string, unknown> = {};
    try {
      cache = JSON.parse(fs.readFileSync(INTERPRETER_CACHE, 'utf8'));
    } catch {
      // start a new cache
    }
    cache[interpreterCacheKey(candidate)] = { ...found, fingerprint: interpreterFingerprint(candidate) };
    const temp = `${INTERPRETER_CACHE}.${process.pid}`;
    fs.writeFileSync(temp, JSON.stringify(cache));
    fs.renameSync(temp, INTERPRETER_CACHE); // atomic: parallel test workers never read half a file
  } catch {
    // the cache is an optimization only
  }
}

function resolveRuby(runtime: string, override: string | undefined): HostInterpreter {
  const wanted = runtime.replace(/^ruby/, ''); // "3.3"
  const candidates = override ? [override] : [`ruby${wanted}`, 'ruby'];
  const errors: string[] = [];
  const found = firstInterpreter(candidates, ['-e', 'puts RbConfig.ruby; puts RUBY_VERSION[/\\A\\d+\\.\\d+/]'], errors);
  if (found) return found;
  throw new Error(
    `No Ruby interpreter found for runtime '${runtime}' (tried ${errors.join('; ')}). ` +
    'Install Ruby (Debian/Ubuntu: `apt-get install ruby`) or set the interpreter with LAMBDA_TWIN_RUBY.',
  );
}

/**
 * The first candidate command that runs and prints its real executable and `major.minor` version (given the
 * arguments that make it do so); each failure is added to `errors`.
 */
function firstInterpreter(candidates: string[], printArgs: string[], errors: string[]): HostInterpreter | undefined {
  for (const candidate of candidates) {
    const cached = readInterpreterCache(candidate);
    if (cached) return cached;
    try {
      const out = execFileSync(candidate, printArgs, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 15_000,
      }).trim().split('\n');
      const found = { executable: out[2] === 'venv' ? out[0] : fs.realpathSync(out[0]), version: out[1] };
      writeInterpreterCache(candidate, found);
      return found;
    } catch (e) {
      errors.push(`${candidate}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return undefined;
}

function resolveNode(runtime: string, override: string | undefined): HostInterpreter {
  const current = { executable: process.execPath, version: process.versions.node.split('.')[0] };
  const wanted = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  if (!override && (!wanted || wanted === current.version)) return current;
  if (!override) {
    // The declared major from nvm/fnm/volta/mise/asdf installs, else the Node.js running lambda-twin.
    const installed = discoverNodes(wanted!)[0];
    return installed ? { executable: installed, version: wanted! } : current;
  }
  const out = execFileSync(override, ['-p', 'process.execPath + "\\n" + process.versions.node'], { encoding: 'utf8', timeout: 15_000 })
    .trim().split('\n');
  return { executable: fs.realpathSync(out[0]), version: out[1].split('.')[0] };
}

/** The version a runtime identifier asks for (`python3.12` → `3.12`, `nodejs20.x` → `20`, `ruby3.3` → `3.3`). */
export function requestedVersion(runtime: string): string | undefined {
  const python = /^python(\d+\.\d+)$/.exec(runtime);
  if (python) return python[1];
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) return node[1];
  const ruby = /^ruby(\d+\.\d+)$/.exec(runtime);
  if (ruby) return ruby[1];
  return undefined;
}
