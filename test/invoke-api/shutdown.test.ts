// Ctrl-C on start-lambda, with a real server process and the AWS SDK as the client: the first SIGINT/SIGTERM stops
// taking connections while a running invoke finishes and its response reaches the client, then the process exits 0;
// a second signal forces the stop (exit 130) and leaves no function process behind. The function tells the test
// when it runs and waits for the test's answer, so every step waits on an event, never on time.
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { json, lambdaClient } from './helpers';
import { ServerProcess, startServerProcess } from './server-process';
import { reapOrphanedEnvironments } from '../../src/engine/invoke-api/state-dir-lock';

jest.setTimeout(120_000);

const TEMPLATE = path.join(__dirname, 'fixtures', 'shutdown', 'template.yaml');

/** An HTTP server the function calls when it starts; the test holds the response until it lets the function end. */
function startControl(): Promise<{ url: string; started: Promise<http.ServerResponse>; close(): void }> {
  let onStarted!: (res: http.ServerResponse) => void;
  const started = new Promise<http.ServerResponse>((resolve) => (onStarted = resolve));
  const server = http.createServer((_req, res) => onStarted(res));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/started`,
    started,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  })));
}

/** Resolves once the server process has written a line matching `pattern` to stderr. */
function stderrShows(server: ServerProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    if (pattern.test(server.stderr())) return resolve();
    const onData = () => {
      if (!pattern.test(server.stderr())) return;
      server.child.stderr!.off('data', onData);
      resolve();
    };
    server.child.stderr!.on('data', onData);
  });
}

/** Whether a new connection to the server is refused. */
function refusesConnections(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(false);
    });
    // Refused, or reset when the connection met the listening socket as it closed: either way, not served.
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET'));
  });
}

describe('stopping start-lambda', () => {
  let stateDir: string;
  let server: ServerProcess | undefined;

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-shutdown-'));
  });

  afterEach(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited();
    }
    server = undefined;
    reapOrphanedEnvironments(stateDir);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('lets a running invoke finish and reach its client on SIGTERM, refusing new connections, then exits 0', async () => {
    const control = await startControl();
    server = await startServerProcess(['--template', TEMPLATE, '--state-dir', stateDir, '--no-logs']);
    const lambda = lambdaClient(server.url);
    try {
      const invoke = lambda.send(new InvokeCommand({ FunctionName: 'hold', Payload: Buffer.from(JSON.stringify({ startedUrl: control.url })) }));
      const held = await control.started;

      server.child.kill('SIGTERM');
      await stderrShows(server, /Stopping: running invokes finish/);
      expect(await refusesConnections(server.url)).toBe(true);

      held.end('yes');
      const out = await invoke;
      expect(out.StatusCode).toBe(200);
      expect(out.FunctionError).toBeUndefined();
      expect(json(out.Payload)).toEqual({ released: 'yes' });
      expect(await server.exited()).toBe(0);
      expect(fs.existsSync(path.join(stateDir, 'server.pid'))).toBe(false);
    } finally {
      lambda.destroy();
      control.close();
    }
  });

  it('forces the stop on a second SIGINT: exit 130, the client sees the connection end, no function process is left', async () => {
    const control = await startControl();
    server = await startServerProcess(['--template', TEMPLATE, '--state-dir', stateDir, '--no-logs']);
    const lambda = lambdaClient(server.url);
    try {
      const invoke = lambda.send(new InvokeCommand({ FunctionName: 'hold', Payload: Buffer.from(JSON.stringify({ startedUrl: control.url })) }));
      const outcome = invoke.then(() => 'answered', () => 'failed');
      await control.started;

      server.child.kill('SIGINT');
      await stderrShows(server, /Stopping: running invokes finish/);
      server.child.kill('SIGINT');
      const code = await server.exited();
      expect(code).toBe(130);
      expect(server.stderr()).toMatch(/Forced stop/);
      expect(await outcome).toBe('failed');
      // The exit handlers ended the environment's process group: nothing of it runs under the state folder.
      expect(reapOrphanedEnvironments(stateDir)).toBe(0);
    } finally {
      lambda.destroy();
      control.close();
    }
  });
});
