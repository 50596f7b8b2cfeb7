// Runs `start-lambda` as a separate process (through ts-node), so tests can kill it as a crash would.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

export const SERVER_ENTRY = path.join(__dirname, '..', '..', 'src', 'cli', 'server-main.ts');

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  exited(): Promise<number | null>;
}

/** Starts `lambda-twin start-lambda <args>` and resolves with its URL once it listens. */
export function startServerProcess(args: string[]): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', SERVER_ENTRY, 'start-lambda', '--port', '0', ...args], {
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = /Invoke API listening on (http:\/\/\S+)/.exec(stdout);
      if (m) resolve({ child, url: m[1], stderr: () => stderr, exited: () => exit });
    });
    void exit.then((code) => reject(new Error(`start-lambda exited (${code}) before listening:\n${stderr}`)));
  });
}
