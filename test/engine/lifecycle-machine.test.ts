// The execution environment's phase state machine on its own: a fake process supervisor, a fake clock, a fake
// Runtime API and fake memory figures, driven by hand. No process, no port, no sleep: every timeout is a clock
// advanced in the test.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixtureSpec } from './helpers';
import { Clock } from '../../src/engine/environment/clock';
import { EnvironmentInvocation, ExecutionEnvironment, RuntimeApiEndpoint } from '../../src/engine/environment/execution-environment';
import { MemoryMeter, MemoryReader } from '../../src/engine/environment/memory-meter';
import { ProcessExit, SpawnRequest, Supervisor } from '../../src/engine/environment/process-supervisor';
import { PendingInvocation, RuntimeApiListener } from '../../src/engine/runtime-api/runtime-api-server';

class FakeClock implements Clock {
  private time = 1000;
  private timers: Array<{ at: number; every?: number; fn: () => void; live: boolean }> = [];
  private endOfTurn: Array<{ fn: () => void; live: boolean }> = [];

  now(): number {
    return this.time;
  }

  wallNow(): number {
    return 1_700_000_000_000 + this.time;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, fn, live: true };
    this.timers.push(timer);
    return () => (timer.live = false);
  }

  every(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + ms, every: ms, fn, live: true };
    this.timers.push(timer);
    return () => (timer.live = false);
  }

  soon(fn: () => void): () => void {
    const task = { fn, live: true };
    this.endOfTurn.push(task);
    return () => (task.live = false);
  }

  /** Ends the current turn of the event loop: runs what was put off until then. */
  endTurn(): void {
    const tasks = this.endOfTurn;
    this.endOfTurn = [];
    for (const task of tasks) if (task.live) task.fn();
  }

  /** Moves time on by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      if (due.every) due.at += due.every;
      else due.live = false;
      due.fn();
    }
    this.time = end;
  }

  /** Timers and end-of-turn tasks still waiting (a finished phase leaves none behind). */
  get pending(): number {
    return this.timers.filter((t) => t.live).length + this.endOfTurn.filter((t) => t.live).length;
  }
}

class FakeSupervisor implements Supervisor {
  readonly calls: string[] = [];
  request?: SpawnRequest;
  private onExit?: (exit: ProcessExit) => void;
  private pgid = 0;

  get processGroupId(): number {
    return this.pgid;
  }

  get running(): boolean {
    return this.onExit !== undefined;
  }

  start(request: SpawnRequest, onExit: (exit: ProcessExit) => void): void {
    this.calls.push('start');
    this.request = request;
    this.onExit = onExit;
    this.pgid = 4242;
  }

  freeze(): void {
    this.calls.push('freeze');
  }

  thaw(): void {
    this.calls.push('thaw');
  }

  signalKill(): void {
    this.calls.push('signalKill');
  }

  async terminate(): Promise<void> {
    this.calls.push('terminate');
    this.exit({ code: null, signal: 'SIGTERM' });
  }

  async kill(): Promise<void> {
    this.calls.push('kill');
    this.pgid = 0;
  }

  /** The runtime process ends. */
  exit(exit: ProcessExit): void {
    const onExit = this.onExit;
    this.onExit = undefined;
    onExit?.(exit);
  }
}

class FakeRuntimeApi implements RuntimeApiEndpoint {
  readonly delivered: PendingInvocation[] = [];
  /** What the supervisor had been told when each event went out. */
  readonly supervisorCallsAtDelivery: string[][] = [];
  closed = false;
  cleared = 0;

  constructor(private readonly supervisor: FakeSupervisor) {}

  async listen(): Promise<string> {
    return '127.0.0.1:9001';
  }

  deliver(invocation: PendingInvocation): void {
    this.delivered.push(invocation);
    this.supervisorCallsAtDelivery.push([...this.supervisor.calls]);
  }

  clearInvocation(): void {
    this.cleared++;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** The runtime's memory; the twin's launcher above it (when there is one) has 1 MB of its own, never counted. */
class FakeMemory implements MemoryReader {
  rssKb = 20 * 1024;
  hwmKb = 20 * 1024;
  private launcher?: number;

  constructor(private readonly launchedThroughReaper: () => boolean) {}

  tree(pgid: number): number[] {
    this.launcher = this.launchedThroughReaper() ? pgid : undefined;
    return this.launcher ? [pgid, pgid + 1] : [pgid];
  }

  statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
    if (pid === this.launcher) return 1024;
    return field === 'VmRSS' ? this.rssKb : this.hwmKb;
  }
}

const MB = 1024 * 1024;
const roots: string[] = [];
afterAll(() => roots.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function setUp() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-machine-'));
  roots.push(root);
  const taskRoot = path.join(root, 'task');
  fs.mkdirSync(taskRoot);
  fs.writeFileSync(path.join(taskRoot, 'bootstrap'), '#!/bin/sh\n', { mode: 0o755 });
  const clock = new FakeClock();
  const supervisor = new FakeSupervisor();
  const api = new FakeRuntimeApi(supervisor);
  const memory = new FakeMemory(() => supervisor.request?.reaper === true);
  let listener: RuntimeApiListener | undefined;
  const env = new ExecutionEnvironment({
    spec: fixtureSpec({ codePath: taskRoot, runtime: 'provided.al2023', handler: 'x', memorySize: 128 }),
    taskRoot,
    optDir: path.join(root, 'opt'),
    tmpDir: path.join(root, 'tmp'),
    logDir: path.join(root, 'logs'),
    isolate: false, // a plain launch: the launcher is lt-reaper, or none without a C compiler
    supervisor,
    clock,
    memoryReader: memory,
    runtimeApi: (l) => {
      listener = l;
      return api;
    },
  });
  const runtime = (): RuntimeApiListener => listener!;
  /** Runs INIT to success (the runtime asks for its first event) and ends the turn, so the runtime is frozen. */
  const initialized = async () => {
    const init = env.init(10_000);
    await until(() => supervisor.calls.includes('start'));
    runtime().onNext();
    const outcome = await init;
    clock.endTurn();
    return outcome;
  };
  return { env, clock, supervisor, api, memory, runtime, initialized };
}

/** Lets the environment's own awaits (listen, open) run until `condition` holds; no time passes on any clock. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

const invocation = (budgetMs = 3000): EnvironmentInvocation => ({
  requestId: 'req-1',
  payload: Buffer.from('{}'),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
  budgetMs,
});

describe('INIT', () => {
  it('succeeds when the runtime asks for its first event, then freezes it', async () => {
    const { env, clock, supervisor, initialized } = setUp();
    const started = clock.now();
    const init = initialized();
    const outcome = await init;
    expect(outcome).toEqual({ status: 'success', durationMs: clock.now() - started });
    expect(env.currentPhase).toBe('idle');
    expect(env.isReusable).toBe(true);
    expect(supervisor.calls).toEqual(['start', 'freeze']);
    expect(supervisor.request?.env.AWS_LAMBDA_RUNTIME_API).toBe('127.0.0.1:9001');
    expect(clock.pending).toBe(0);
  });

  it('times out at its budget and kills the group', async () => {
    const { env, clock, supervisor, api } = setUp();
    const init = env.init(10_000);
    await until(() => supervisor.calls.includes('start'));
    clock.advance(9_999);
    expect(env.currentPhase).toBe('init');
    clock.advance(1);
    expect(await init).toEqual({ status: 'timeout', durationMs: 10_000 });
    expect(supervisor.calls).toEqual(['start', 'kill']);
    expect(env.currentPhase).toBe('dead');
    expect(api.closed).toBe(true);
  });

  it('fails with the type the runtime posted to /init/error', async () => {
    const { env, supervisor, runtime } = setUp();
    const init = env.init(10_000);
    await until(() => supervisor.calls.includes('start'));
    runtime().onInitError('Runtime.ImportModuleError', Buffer.from('{"errorType":"Runtime.ImportModuleError"}'));
    const outcome = await init;
    expect(outcome.status).toBe('error');
    expect(outcome.errorType).toBe('Runtime.ImportModuleError');
    expect(env.currentPhase).toBe('dead');
  });

  it('fails with Runtime.ExitError and the exit status when the runtime exits', async () => {
    const { env, supervisor } = setUp();
    const init = env.init(10_000);
    await until(() => supervisor.calls.includes('start'));
    supervisor.exit({ code: 2, signal: null });
    const outcome = await init;
    expect(outcome).toMatchObject({ status: 'error', errorType: 'Runtime.ExitError', exitReason: 'exit status 2' });
  });
});

describe('INVOKE', () => {
  it('thaws, delivers the event, and ends with the posted response when the runtime asks for the next one', async () => {
    const { env, clock, supervisor, api, runtime, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation(3000));
    expect(api.delivered).toHaveLength(1);
    expect(api.delivered[0].deadlineMs).toBe(clock.wallNow() + 3000);
    expect(api.supervisorCallsAtDelivery).toEqual([['start', 'freeze', 'thaw']]); // awake before the event is sent
    expect(supervisor.calls.slice(-1)).toEqual(['thaw']);
    clock.advance(40);
    runtime().onOutcome('req-1', { kind: 'response', body: Buffer.from('"ok"') });
    expect(env.currentPhase).toBe('invoke'); // posted, but not done until it asks for the next event
    runtime().onNext();
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'response', reset: false, durationMs: 40, outOfMemory: false });
    expect(outcome.body.toString()).toBe('"ok"');
    expect(outcome.maxMemoryUsedBytes).toBe(20 * MB);
    expect(supervisor.calls.slice(-1)).toEqual(['thaw']); // frozen when the turn ends, not before
    expect(clock.pending).toBe(1);
    clock.endTurn();
    expect(supervisor.calls.slice(-1)).toEqual(['freeze']);
    expect(env.currentPhase).toBe('idle');
    expect(clock.pending).toBe(0);
  });

  it('neither freezes nor thaws when the next invoke is handed over in the turn the last one ended', async () => {
    const { env, clock, supervisor, api, runtime, initialized } = setUp();
    await initialized();
    const first = env.invoke(invocation(3000));
    runtime().onOutcome('req-1', { kind: 'response', body: Buffer.from('1') });
    runtime().onNext();
    await first;
    const calls = supervisor.calls.length;
    const second = env.invoke({ ...invocation(3000), requestId: 'req-2' });
    expect(api.delivered).toHaveLength(2);
    runtime().onOutcome('req-2', { kind: 'response', body: Buffer.from('2') });
    runtime().onNext();
    expect((await second).body.toString()).toBe('2');
    expect(supervisor.calls.slice(calls)).toEqual([]); // the runtime was never stopped between the two
    clock.endTurn();
    expect(supervisor.calls.slice(calls)).toEqual(['freeze']); // one freeze, once the loop of invokes pauses
    expect(clock.pending).toBe(0);
  });

  it('hands the first event over without a thaw when it comes in the turn INIT ended', async () => {
    const { env, clock, supervisor, api, runtime } = setUp();
    const init = env.init(10_000);
    await until(() => supervisor.calls.includes('start'));
    runtime().onNext();
    await init;
    const pending = env.invoke(invocation(3000));
    expect(api.delivered).toHaveLength(1);
    runtime().onOutcome('req-1', { kind: 'response', body: Buffer.from('1') });
    runtime().onNext();
    await pending;
    expect(supervisor.calls).toEqual(['start']);
    clock.endTurn();
    expect(supervisor.calls).toEqual(['start', 'freeze']);
  });

  it('ignores posts for another request id', async () => {
    const { env, runtime, initialized, clock } = setUp();
    await initialized();
    const pending = env.invoke(invocation(1000));
    runtime().onOutcome('someone-else', { kind: 'response', body: Buffer.from('"no"') });
    runtime().onNext();
    expect(env.currentPhase).toBe('invoke');
    clock.advance(1000);
    expect((await pending).kind).toBe('timeout');
  });

  it('times out at the budget with no answer, and resets the environment', async () => {
    const { env, clock, supervisor, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation(3000));
    clock.advance(2999);
    expect(env.currentPhase).toBe('invoke');
    clock.advance(1);
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'timeout', reset: true, durationMs: 3000, outOfMemory: false });
    expect(supervisor.calls.slice(-1)).toEqual(['kill']);
    expect(env.currentPhase).toBe('dead');
  });

  it('keeps an answer posted in time when the runtime does not ask for the next event before the deadline', async () => {
    const { env, clock, runtime, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation(3000));
    runtime().onOutcome('req-1', { kind: 'response', body: Buffer.from('"late"') });
    clock.advance(3000);
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'response', reset: true, timedOutAfterAnswer: true });
    expect(outcome.body.toString()).toBe('"late"');
  });

  it('ends as an exit with the reason when the runtime dies without answering', async () => {
    const { env, supervisor, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation());
    supervisor.exit({ code: null, signal: 'SIGSEGV' });
    expect(await pending).toMatchObject({ kind: 'exit', reset: true, exitReason: 'signal: segmentation fault' });
  });

  it('keeps an answer posted before the runtime died, and resets', async () => {
    const { env, supervisor, runtime, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation());
    runtime().onOutcome('req-1', { kind: 'error', body: Buffer.from('{"errorType":"Error"}'), errorType: 'Error' });
    supervisor.exit({ code: 129, signal: null });
    expect(await pending).toMatchObject({ kind: 'error', reset: true, exitReason: 'exit status 129' });
  });

  it('resets after a response over the size limit, without freezing', async () => {
    const { env, supervisor, runtime, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation());
    runtime().onOutcome('req-1', { kind: 'error', body: Buffer.from('{}'), errorType: 'Function.ResponseSizeTooLarge' });
    runtime().onNext();
    expect(await pending).toMatchObject({ kind: 'error', reset: true });
    expect(supervisor.calls.slice(-2)).toEqual(['thaw', 'kill']);
  });

  it('refuses an invoke unless idle', async () => {
    const { env } = setUp();
    await expect(env.invoke(invocation())).rejects.toThrow(/is new, not idle/);
  });
});

describe('the memory limit', () => {
  it('kills the group when a sample sees the tree over its memory size, and reports the full size', async () => {
    const { env, clock, supervisor, memory, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation(3000));
    clock.advance(20);
    expect(supervisor.calls.slice(-1)).toEqual(['thaw']); // under the limit: nothing happens
    memory.rssKb = 129 * 1024;
    clock.advance(20);
    expect(supervisor.calls.slice(-1)).toEqual(['signalKill']);
    supervisor.exit({ code: null, signal: 'SIGKILL' });
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'exit', reset: true, outOfMemory: true, exitReason: 'signal: killed', maxMemoryUsedBytes: 128 * MB });
  });

  it('reads the high-water mark at the deadline: a peak no sample saw is an out-of-memory kill, not a timeout', async () => {
    const { env, clock, supervisor, memory, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation(3000));
    memory.hwmKb = 300 * 1024; // the peak came and went between samples
    clock.advance(3000);
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'exit', reset: true, outOfMemory: true, exitReason: 'signal: killed', maxMemoryUsedBytes: 128 * MB });
    expect(supervisor.calls).toContain('signalKill');
  });

  it('reports the high-water mark as the memory used when it is above every sample', async () => {
    const { env, memory, runtime, initialized } = setUp();
    await initialized();
    const pending = env.invoke(invocation());
    memory.hwmKb = 64 * 1024;
    runtime().onOutcome('req-1', { kind: 'response', body: Buffer.from('1') });
    runtime().onNext();
    expect((await pending).maxMemoryUsedBytes).toBe(64 * MB);
  });
});

describe('the memory meter', () => {
  it('leaves the chain of launchers at the top of the tree out of every figure', () => {
    const kb: Record<number, { VmRSS: number; VmHWM: number }> = {
      10: { VmRSS: 2048, VmHWM: 2048 }, // unshare
      11: { VmRSS: 1800, VmHWM: 1800 }, // the namespace's init
      12: { VmRSS: 30_000, VmHWM: 40_000 }, // the runtime
      13: { VmRSS: 5000, VmHWM: 6000 }, // a process the runtime started
    };
    const reader: MemoryReader = { tree: () => [10, 11, 12, 13], statusKb: (pid, field) => kb[pid][field] };
    const meter = new MemoryMeter(() => 10, 128 * MB, () => undefined, new FakeClock(), reader);
    meter.reset(10, 2);
    meter.sample();
    expect(meter.peakBytes()).toBe((40_000 + 6000) * 1024);
    meter.reset(10);
    meter.sample();
    expect(meter.peakBytes()).toBe((2048 + 1800 + 40_000 + 6000) * 1024);
  });
});

describe('SHUTDOWN', () => {
  it('terminates the group with a grace, closes the Runtime API, and leaves the environment dead', async () => {
    const { env, supervisor, api, initialized } = setUp();
    await initialized();
    await env.shutdown();
    expect(supervisor.calls.slice(-2)).toEqual(['terminate', 'kill']);
    expect(api.closed).toBe(true);
    expect(env.currentPhase).toBe('dead');
  });

  it('drops a freeze still waiting for the end of the turn', async () => {
    const { env, clock, supervisor, runtime } = setUp();
    const init = env.init(10_000);
    await until(() => supervisor.calls.includes('start'));
    runtime().onNext();
    await init;
    await env.shutdown();
    expect(clock.pending).toBe(0);
    clock.endTurn();
    expect(supervisor.calls).toEqual(['start', 'terminate', 'kill']);
  });
});
