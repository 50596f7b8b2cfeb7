// Finding a host interpreter past version-manager shims, shared by the interpreted runtime drivers: run the
// candidate commands in turn until one prints its real executable and version, and remember the answer on disk.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HostInterpreter } from './driver';

// Asking a version-manager shim (pyenv) which interpreter it means costs 90 ms to seconds a process; test files
// each run in a new process, so the answer is cached on disk. The key covers everything the shim decides by
// (the command, PATH, the working folder, PYENV_VERSION) and the entry is checked against the files it came from.
// LAMBDA_TWIN_INTERPRETER_CACHE moves the file (tests keep theirs in their own temporary folder).
function interpreterCacheFile(): string {
  return process.env.LAMBDA_TWIN_INTERPRETER_CACHE
    ?? path.join(os.tmpdir(), `lambda-twin-interpreters-${process.getuid?.() ?? 0}.json`);
}

function interpreterCacheKey(candidate: string): string {
  return [candidate, process.env.PATH ?? '', process.cwd(), process.env.PYENV_VERSION ?? '', process.env.RBENV_VERSION ?? ''].join('\0');
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
    const entry = JSON.parse(fs.readFileSync(interpreterCacheFile(), 'utf8'))[interpreterCacheKey(candidate)];
    if (entry && entry.fingerprint === interpreterFingerprint(candidate) && fs.existsSync(entry.executable)) {
      return { executable: entry.executable, version: entry.version };
    }
  } catch {
    // no cache yet, or an unreadable one: ask the interpreter
  }
  return undefined;
}

function writeInterpreterCache(candidate: string, found: HostInterpreter): void {
  const file = interpreterCacheFile();
  try {
    let cache: Record<string, unknown> = {};
    try {
      cache = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      // start a new cache
    }
    cache[interpreterCacheKey(candidate)] = { ...found, fingerprint: interpreterFingerprint(candidate) };
    const temp = `${file}.${process.pid}`;
    fs.writeFileSync(temp, JSON.stringify(cache));
    fs.renameSync(temp, file); // atomic: parallel test workers never read half a file
  } catch {
    // the cache is an optimization only
  }
}

/**
 * The first candidate command that runs and prints its real executable and `major.minor` version (given the
 * arguments that make it do so); each failure is added to `errors`.
 */
export function firstInterpreter(candidates: string[], printArgs: string[], errors: string[]): HostInterpreter | undefined {
  for (const candidate of candidates) {
    const cached = readInterpreterCache(candidate);
    if (cached) return cached;
    try {
      const out = execFileSync(candidate, printArgs, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 15_000,
      }).trim().split('\n');
      const found = { executable: fs.realpathSync(out[0]), version: out[1] };
      writeInterpreterCache(candidate, found);
      return found;
    } catch (e) {
      errors.push(`${candidate}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return undefined;
}
