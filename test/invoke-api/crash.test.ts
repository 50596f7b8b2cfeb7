// Async invokes survive a crash: 200 Event invokes, the server killed with SIGKILL while it works through them,
// then started again on the same state folder. Every event ends succeeded or in its failure destination; none is
// lost, and none that had succeeded runs again. Only an attempt running at the very moment of the kill may run
// twice (its outcome never reached the journal), as Lambda's own at-least-once delivery allows.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { FIXTURE_TEMPLATE, lambdaClient } from './helpers';
import { SERVER_ENTRY, ServerProcess, startServerProcess } from './server-process';
import { readRecords } from '../../src/engine/invoke-api/destinations';
import { replayJournal } from '../../src/engine/invoke-api/event-journal';
import { reapOrphanedEnvironments } from '../../src/engine/invoke-api/state-dir-lock';

jest.setTimeout(180_000);

const EVENTS = 200;
const FAILURE_DESTINATION = 'arn:aws:sqs:us-east-1:123456789012:recorder-failures';

describe('async invokes across a killed server', () => {
  let stateDir: string;
  let recordDir: string;
  let server: ServerProcess | undefined;
  let args: string[];

  beforeAll(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-crash-state-'));
    recordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-crash-records-'));
    const envVars = path.join(recordDir, 'env.json');
    fs.writeFileSync(envVars, JSON.stringify({ Recorder: { RECORD_DIR: recordDir } }));
    // Plain processes on purpose: the function records each event in a host folder (RECORD_DIR), which an isolated
    // environment would not see under the host's /tmp, nor may write as uid 1051 (the folder is the test's, 0700).
    args = ['--template', FIXTURE_TEMPLATE, '--state-dir', stateDir, '--env-vars', envVars, '--retry-delay', '20', '--no-logs', '--no-isolate'];
  });

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited();
    }
    reapOrphanedEnvironments(stateDir);
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(recordDir, { recursive: true, force: true });
  });

  it('finishes every event after a kill -9 and a restart, and runs none again once it succeeded', async () => {
    server = await startServerProcess(args);
    const lambda = lambdaClient(server.url);
    const ids = Array.from({ length: EVENTS }, (_, i) => `event-${i}`);
    const failing = new Set(ids.filter((_, i) => i % 10 === 3));
    const processedLog = path.join(recordDir, 'processed.log');
    const processed = () => (fs.existsSync(processedLog) ? fs.readFileSync(processedLog, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ')[0]) : []);

    // Accept all events (each 202 means it is journaled on disk), in batches so the queue works while we send.
    for (let i = 0; i < ids.length; i += 20) {
      const batch = ids.slice(i, i + 20).map((id) => lambda.send(new InvokeCommand({
        FunctionName: 'recorder', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ id, fail: failing.has(id), ms: 15 })),
      })));
      for (const out of await Promise.all(batch)) expect(out.StatusCode).toBe(202);
    }
    while (processed().length < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    server.child.kill('SIGKILL');
    await server.exited();
    lambda.destroy();

    // What the journal knew at the kill: nothing accepted is missing; some events were still to do.
    const atKill = replayJournal(path.join(stateDir, 'async-events', 'journal.jsonl'));
    expect([...atKill.keys()].length).toBe(EVENTS);
    const finishedAtKill = [...atKill.values()].filter((s) => s.status === 'succeeded' || s.status === 'failed');
    expect(finishedAtKill.length).toBeLessThan(EVENTS);
    const runningAtKill = new Set([...atKill.values()].filter((s) => s.status === 'running').map((s) => s.id));
    const succeededAtKill = new Set([...atKill.values()].filter((s) => s.status === 'succeeded' || (s.lastResult && !s.lastResult.functionError)).map((s) => s.id));

    server = await startServerProcess(args);
    let states = replayJournal(path.join(stateDir, 'async-events', 'journal.jsonl'));
    const deadline = Date.now() + 120_000;
    while ([...states.values()].some((s) => s.status === 'pending' || s.status === 'running') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      states = replayJournal(path.join(stateDir, 'async-events', 'journal.jsonl'));
    }
    server.child.kill('SIGTERM');
    expect(await server.exited()).toBe(0);

    // Every event finished: the good ones succeeded, the failing ones exhausted their retries into the destination.
    const byPayloadId = new Map<string, string>(); // payload id -> status
    const requestIdOf = new Map<string, string>();
    for (const line of fs.readFileSync(processedLog, 'utf8').split('\n').filter(Boolean)) {
      const [id, requestId] = line.split(' ');
      requestIdOf.set(requestId, id);
    }
    for (const s of states.values()) {
      expect(s.status === 'succeeded' || s.status === 'failed').toBe(true);
      const id = requestIdOf.get(s.id);
      if (id) byPayloadId.set(id, s.status);
    }
    const failures = readRecords(path.join(stateDir, 'async-events', 'destinations'), FAILURE_DESTINATION);
    const failedIds = failures.map((r) => r.requestPayload.id).sort();
    expect(failedIds).toEqual([...failing].sort());
    expect(failures.every((r) => r.requestContext.condition === 'RetriesExhausted' && r.requestContext.approximateInvokeCount >= 3)).toBe(true);

    const counts = new Map<string, number>();
    for (const id of processed()) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of ids.filter((i) => !failing.has(i))) {
      expect([id, (counts.get(id) ?? 0) >= 1]).toEqual([id, true]); // names the event that never ran
    }
    const duplicates = [...counts.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    const requestIdsOfDuplicates = [...requestIdOf.entries()].filter(([, id]) => duplicates.includes(id)).map(([rid]) => rid);
    // No event whose success was journaled ran again; a duplicate can only be an attempt cut off by the kill.
    for (const rid of requestIdsOfDuplicates) {
      expect(succeededAtKill.has(rid) && !runningAtKill.has(rid)).toBe(false);
      expect(runningAtKill.has(rid)).toBe(true);
    }
    expect(duplicates.length).toBeLessThanOrEqual(runningAtKill.size);
    if (process.env.LT_CRASH_STATS) process.stderr.write(`finished at kill ${finishedAtKill.length}, running at kill ${runningAtKill.size}, duplicates ${duplicates.length}\n`);

    // `lambda-twin events` reports the outcome.
    const { stdout } = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register', SERVER_ENTRY, 'events', '--state-dir', stateDir, '--json'], {
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' },
    });
    const listed = JSON.parse(stdout);
    expect(listed).toHaveLength(EVENTS);
    expect(listed.filter((e: any) => e.status === 'failed')).toHaveLength(failing.size);
    expect(listed.filter((e: any) => e.status === 'succeeded')).toHaveLength(EVENTS - failing.size);
  });
});
