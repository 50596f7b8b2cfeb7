// The libraries Lambda's managed runtimes put on the module path (AWS SDK for JavaScript v3, boto3/botocore, the
// durable execution SDKs), kept in a per-user cache filled with npm and pip, never in the user's project or the
// system interpreter. They sit behind the function's own packages and its layers, as in Lambda.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const execFileAsync = promisify(execFile);

/** One package a runtime provides. */
export interface ProvidedLibrary {
  /** Package name on its registry (`@aws-sdk/client-s3`, `boto3`). */
  readonly name: string;
  /** Why it is there (shown by `runtimes list`). */
  readonly group: string;
}

/**
 * The AWS SDK for JavaScript v3 clients fetched by default. Lambda ships every client; the cache starts with the
 * common ones and adds any other `@aws-sdk/*` package a function imports on first use (or with
 * `lambda-twin runtimes install <runtime> --package <name>`).
 */
export const DEFAULT_JS_SDK_PACKAGES = [
  '@aws-sdk/client-s3', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-sqs',
  '@aws-sdk/client-sns', '@aws-sdk/client-lambda', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-ssm',
  '@aws-sdk/client-eventbridge', '@aws-sdk/client-sts',
];

/**
 * The durable execution SDKs come with the runtimes that support durable functions: nodejs22.x and later, python3.13
 * and later (lambda-twin's reading of Lambda's durable functions launch; see docs/differences.md).
 */
const DURABLE_NODE_MIN_MAJOR = 22;
const DURABLE_PYTHON_MIN_MINOR = 13;

/** The packages Lambda provides for a runtime identifier (empty for runtimes that provide none, e.g. provided.al2023). */
export function providedLibraries(runtime: string): ProvidedLibrary[] {
  const node = /^nodejs(\d+)\.x$/.exec(runtime);
  if (node) {
    if (Number(node[1]) < 18) return []; // nodejs16.x and older shipped SDK v2, which lambda-twin does not provide
    const libs = DEFAULT_JS_SDK_PACKAGES.map((name) => ({ name, group: 'AWS SDK for JavaScript v3' }));
    if (Number(node[1]) >= DURABLE_NODE_MIN_MAJOR) libs.push({ name: '@aws/durable-execution-sdk-js', group: 'durable execution SDK' });
    return libs;
  }
  const python = /^python(\d+\.\d+)$/.exec(runtime);
  if (python) {
    const libs = [{ name: 'boto3', group: 'AWS SDK for Python' }, { name: 'botocore', group: 'AWS SDK for Python' }];
    if (python[1].startsWith('3.') && Number(python[1].slice(2)) >= DURABLE_PYTHON_MIN_MINOR) libs.push({ name: 'aws-durable-execution-sdk-python', group: 'durable execution SDK' });
    return libs;
  }
  return [];
}

/**
 * The cache's root: `LAMBDA_TWIN_RUNTIME_LIBS` when set, else `$XDG_CACHE_HOME/lambda-twin/runtime-libs`
 * (`~/.cache/lambda-twin/runtime-libs`).
 */
export function runtimeLibsRoot(): string {
  if (process.env.LAMBDA_TWIN_RUNTIME_LIBS) return path.resolve(process.env.LAMBDA_TWIN_RUNTIME_LIBS);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'lambda-twin', 'runtime-libs');
}

/** The cache folder of one runtime (`…/runtime-libs/nodejs22.x`). */
export function runtimeLibsDir(runtime: string): string {
  return path.join(runtimeLibsRoot(), runtime);
}

/**
 * The folders to add to the module path of a runtime, behind the function and its layers: a `node_modules` folder
 * for nodejs (on NODE_PATH), a pip target folder for python (on PYTHONPATH). Empty when the cache has nothing.
 */
export function runtimeLibraryPaths(runtime: string): string[] {
  const folder = libraryFolder(runtime);
  return folder && fs.existsSync(folder) ? [folder] : [];
}

function libraryFolder(runtime: string): string | undefined {
  if (/^nodejs\d+\.x$/.test(runtime)) return path.join(runtimeLibsDir(runtime), 'node_modules');
  if (/^python\d+\.\d+$/.test(runtime)) return path.join(runtimeLibsDir(runtime), 'python');
  return undefined;
}

/** A package's state in the cache. */
export interface CachedLibrary {
  readonly name: string;
  readonly group: string;
  /** Installed version, or undefined when the cache lacks it. */
  readonly version?: string;
}

/** What the cache holds of the libraries a runtime provides (plus any extra `@aws-sdk/*` packages it has). */
export function cachedLibraries(runtime: string): CachedLibrary[] {
  const folder = libraryFolder(runtime);
  const wanted = providedLibraries(runtime);
  if (!folder) return [];
  const result: CachedLibrary[] = wanted.map((lib) => ({ ...lib, version: installedVersion(runtime, folder, lib.name) }));
  if (runtime.startsWith('nodejs')) {
    for (const name of listDir(path.join(folder, '@aws-sdk'))) {
      const full = `@aws-sdk/${name}`;
      if (!name.startsWith('client-') && !name.startsWith('lib-')) continue;
      if (wanted.some((w) => w.name === full)) continue;
      result.push({ name: full, group: 'AWS SDK for JavaScript v3', version: installedVersion(runtime, folder, full) });
    }
  }
  return result;
}

function installedVersion(runtime: string, folder: string, name: string): string | undefined {
  try {
    if (runtime.startsWith('nodejs')) {
      return JSON.parse(fs.readFileSync(path.join(folder, name, 'package.json'), 'utf8')).version;
    }
    // pip writes `<name>-<version>.dist-info` with underscores for dashes
    const prefix = name.replace(/-/g, '_').toLowerCase() + '-';
    const info = listDir(folder).find((f) => f.toLowerCase().startsWith(prefix) && f.endsWith('.dist-info'));
    return info ? info.slice(prefix.length, -'.dist-info'.length) : undefined;
  } catch {
    return undefined;
  }
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The command that fills the cache for a runtime, for messages. */
export function installCommand(runtime: string, extra: string[] = []): string {
  return `lambda-twin runtimes install ${runtime}${extra.map((p) => ` --package ${p}`).join('')}`;
}

/** Options of an install. */
export interface InstallOptions {
  /** More packages to add (e.g. `@aws-sdk/client-kinesis`). */
  readonly extraPackages?: string[];
  /** Where the package client's output goes (default: discarded, kept for the error). */
  readonly onOutput?: (text: string) => void;
  /** The Python interpreter whose pip fills python caches (default `python3`). */
  readonly python?: string;
}

/**
 * Fills a runtime's cache with the ordinary package clients: `npm install --prefix <cache>` for nodejs,
 * `pip install --target <cache>/python` (for the runtime's Python version) for python. Rejects with the client's
 * last lines of output when it fails (offline, for example).
 */
export async function installRuntimeLibraries(runtime: string, options: InstallOptions = {}): Promise<CachedLibrary[]> {
  const dir = runtimeLibsDir(runtime);
  const packages = [...providedLibraries(runtime).map((l) => l.name), ...(options.extraPackages ?? [])];
  if (packages.length === 0) throw new Error(`Lambda provides no libraries lambda-twin can fetch for runtime '${runtime}'`);
  fs.mkdirSync(dir, { recursive: true });
  let command: string;
  let args: string[];
  if (runtime.startsWith('nodejs')) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) {
      fs.writeFileSync(manifest, JSON.stringify({ name: `lambda-twin-runtime-libs-${runtime.replace(/\W/g, '-')}`, private: true }, null, 2));
    }
    command = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // `@latest` explicitly: npm otherwise picks an old version whose `engines` fit the host's Node.js, not the runtime's.
    const specs = packages.map((p) => (/^@?[^@]+$/.test(p) ? `${p}@latest` : p));
    args = ['install', '--prefix', dir, '--no-audit', '--no-fund', '--omit=dev', '--no-package-lock', '--engine-strict=false', ...specs];
  } else {
    const version = /^python(\d+\.\d+)$/.exec(runtime)![1];
    command = options.python ?? process.env.LAMBDA_TWIN_PYTHON ?? 'python3';
    args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--upgrade',
      '--target', path.join(dir, 'python'), '--python-version', version, '--only-binary=:all:', '--no-compile',
      ...packages.filter((p) => p !== 'botocore' || !packages.includes('boto3'))];
  }
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PIP_USER: '0', PIP_REQUIRE_VIRTUALENV: '0' },
    });
    options.onOutput?.(stdout + stderr);
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string };
    const tail = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n');
    throw new Error(`Fetching the runtime libraries of ${runtime} failed: ${command} ${args.join(' ')}\n${tail || err.message}`);
  }
  return cachedLibraries(runtime);
}

// `@aws-sdk/client-x` or `@aws/durable-execution-sdk-js` as it appears in import/require statements.
const SDK_IMPORT = /['"`](@aws-sdk\/[a-z0-9-]+|@aws\/durable-execution-sdk-js)(?:\/[^'"`]*)?['"`]/g;
// `import boto3`, `from botocore.x import y`, the durable SDK's module.
const PYTHON_IMPORT = /^\s*(?:import|from)\s+(boto3|botocore|aws_durable_execution_sdk_python)\b/gm;
const NODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']);
const PYTHON_EXTENSIONS = new Set(['.py']);
const SCAN_FILE_LIMIT = 2000;

/** The provided packages a function's code (not its node_modules) imports, by registry name. */
export function importedProvidedPackages(runtime: string, codeDirs: string[]): string[] {
  const node = runtime.startsWith('nodejs');
  const extensions = node ? NODE_EXTENSIONS : PYTHON_EXTENSIONS;
  const pattern = node ? SDK_IMPORT : PYTHON_IMPORT;
  const imported = new Set<string>();
  let budget = SCAN_FILE_LIMIT;
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (budget <= 0) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '__pycache__' && !entry.name.startsWith('.')) walk(full);
      } else if (entry.isFile() && extensions.has(path.extname(entry.name))) {
        budget--;
        let text: string;
        try {
          text = fs.readFileSync(full, 'utf8');
        } catch {
          continue;
        }
        for (const m of text.matchAll(pattern)) imported.add(node ? m[1] : m[1].replace(/_/g, '-'));
      }
    }
  };
  for (const dir of codeDirs) walk(dir);
  return [...imported].sort();
}

/**
 * The provided packages a function imports that neither its code nor its layers bring, nor the cache holds
 * (boto3 found in the function's own folder counts as brought).
 */
export function missingImportedPackages(runtime: string, codeDirs: string[]): string[] {
  const folder = libraryFolder(runtime);
  if (!folder || providedLibraries(runtime).length === 0) return [];
  const node = runtime.startsWith('nodejs');
  const present = (name: string): boolean => {
    if (node) {
      return fs.existsSync(path.join(folder, name, 'package.json'))
        || codeDirs.some((d) => fs.existsSync(path.join(d, 'node_modules', name, 'package.json'))
          || fs.existsSync(path.join(d, 'nodejs', 'node_modules', name, 'package.json')));
    }
    const module = name.replace(/-/g, '_');
    return [folder, ...codeDirs, ...codeDirs.map((d) => path.join(d, 'python'))].some((d) => fs.existsSync(path.join(d, module)))
      || installedVersion(runtime, folder, name) !== undefined;
  };
  return importedProvidedPackages(runtime, codeDirs).filter((name) => !present(name));
}

const ensured = new Map<string, Promise<void>>();

/**
 * Before a function's first start: when its code imports a library the runtime provides (the AWS SDK, boto3, the
 * durable SDK) and the cache lacks it, fetches the runtime's libraries (and that package) into the cache. Never
 * fails: offline, it warns once with what is missing and the command that fetches it, and the function runs with
 * what the cache has. `LAMBDA_TWIN_OFFLINE=1` skips fetching. Code that imports none of them costs one scan.
 */
export function ensureRuntimeLibraries(runtime: string | undefined, codeDirs: string[]): Promise<void> {
  if (!runtime || providedLibraries(runtime).length === 0) return Promise.resolve();
  const missing = missingImportedPackages(runtime, codeDirs);
  if (missing.length === 0) return Promise.resolve();
  const base = new Set(providedLibraries(runtime).map((l) => l.name));
  const extra = missing.filter((name) => !base.has(name));
  const key = `${runtime}\0${missing.join(',')}`;
  let pending = ensured.get(key);
  if (!pending) {
    const warn = (why: string): void => {
      process.emitWarning(`The ${runtime} runtime libraries ${missing.join(', ')} are not in lambda-twin's cache (${runtimeLibsDir(runtime)}): ${why}. ` +
        `Functions that import them fail as they would without them. Fetch them with \`${installCommand(runtime, extra)}\`.`,
      { code: 'LAMBDA_TWIN_RUNTIME_LIBS' });
    };
    pending = process.env.LAMBDA_TWIN_OFFLINE === '1'
      ? Promise.resolve(warn('LAMBDA_TWIN_OFFLINE=1'))
      : withInstallLock(runtime, () => (missingImportedPackages(runtime, codeDirs).length === 0
        ? Promise.resolve() // another process fetched them meanwhile
        : installRuntimeLibraries(runtime, { extraPackages: extra }).then(() => undefined)))
        .catch((e) => warn((e as Error).message.split('\n')[0]));
    ensured.set(key, pending);
  }
  return pending;
}

const LOCK_STALE_MS = 10 * 60_000;
const LOCK_POLL_MS = 250;

/** Runs `work` holding a per-runtime lock folder, so parallel processes do not run npm/pip into one cache at once. */
async function withInstallLock(runtime: string, work: () => Promise<void>): Promise<void> {
  const lock = `${runtimeLibsDir(runtime)}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > LOCK_STALE_MS) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
