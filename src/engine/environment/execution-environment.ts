// One execution environment: a native process group running a runtime against its own Runtime API server,
// through Lambda's INIT → INVOKE (→ freeze/thaw) → SHUTDOWN lifecycle, with the timeout and memory limit enforced.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Clock, SYSTEM_CLOCK } from './clock';
import { buildEnvironmentVariables, logStreamName } from './environment-variables';
import { isolatedExit, isolationSupport } from './isolation';
import { launchPlan } from './launch-plan';
import { LogStream } from './log-stream';
import { MemoryMeter, MemoryReader } from './memory-meter';
import { ProcessExit, ProcessSupervisor, Supervisor } from './process-supervisor';
import { reaperExecutable } from './reaper';
import { FunctionSpec } from '../../model/function-spec';
import { InvocationEvent } from '../invocation';
import { entrypointError, exitReasonOf, initStartLine } from '../logs/platform-lines';
import { errorTypeOf, platformErrorType } from '../runtime-api/render';
import { PendingInvocation, RuntimeApiListener, RuntimeApiServer, RuntimeOutcome } from '../runtime-api/runtime-api-server';
import { ensureRuntimeLibraries } from '../runtime-libs/runtime-libraries';
import { driverFor } from '../runtimes';
import { hostInterpreter, InterpreterOverrides } from '../runtimes/runtimes';

/** How long a runtime gets to leave after SIGTERM at shutdown before SIGKILL (Lambda's runtime budget). */
const SHUTDOWN_GRACE_MS = 300;

export interface EnvironmentOptions {
  readonly spec: FunctionSpec;
  /** Stand-in for /var/task (prepared, read-only). */
  readonly taskRoot: string;
  /** Stand-in for /opt (merged layers). */
  readonly optDir: string;
  /** This environment's /tmp. */
  readonly tmpDir: string;
  /** The log file of this environment (its log stream). */
  readonly logDir: string;
  /**
   * The function version this environment runs: invokes of different versions (or aliases pointing at them)
   * never share an environment, as in Lambda. Defaults to `$LATEST`.
   */
  readonly functionVersion?: string;
  readonly interpreters?: InterpreterOverrides;
  readonly environmentOverrides?: Record<string, string>;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Run the runtime in a private mount namespace (own /tmp, read-only task root) when the host allows it. */
  readonly isolate?: boolean;
  /** The process group's supervisor (a fake in unit tests of the lifecycle). */
  readonly supervisor?: Supervisor;
  /** The lifecycle's time source (a fake in unit tests). */
  readonly clock?: Clock;
  /** Where the memory meter reads the process tree's memory (a fake in unit tests). */
  readonly memoryReader?: MemoryReader;
  /** The Runtime API server the runtime talks to (made for the environment when not given). */
  readonly runtimeApi?: (listener: RuntimeApiListener) => RuntimeApiEndpoint;
}

/** What the lifecycle needs of its Runtime API server. */
export interface RuntimeApiEndpoint {
  /** Starts listening; resolves to `host:port`. */
  listen(): Promise<string>;
  /** Hands the runtime its next event. */
  deliver(invocation: PendingInvocation): void;
  /** Forgets the current invocation (late posts for it are refused). */
  clearInvocation(): void;
  close(): Promise<void>;
}

/** How INIT ended. */
export interface InitOutcome {
  readonly status: 'success' | 'error' | 'timeout';
  readonly durationMs: number;
  /** Error type (`Runtime.ImportModuleError`, `Runtime.ExitError` …) when INIT failed. */
  readonly errorType?: string;
  /** The body the runtime posted to /init/error, or one we built for an exit. */
  readonly errorBody?: Buffer;
  /** Exit description (`exit status 1`, `signal: killed`) when the runtime died during INIT. */
  readonly exitReason?: string;
}

/** One invocation handed to an environment: the invocation record, its time budget, and where streamed pieces go. */
export interface EnvironmentInvocation extends InvocationEvent {
  /** Time budget in ms (the function timeout, less what a suppressed init used). */
  readonly budgetMs: number;
  /** Called with each piece of a streamed response as the runtime sends it (the outcome still has the whole body). */
  readonly onResponseChunk?: (chunk: Buffer) => void;
}

/** How an invocation ended inside the environment. */
export interface EnvironmentInvokeOutcome {
  /** `response`, `error` (posted by the runtime), `timeout`, or `exit` (the runtime died without answering). */
  readonly kind: 'response' | 'error' | 'timeout' | 'exit';
  readonly body: Buffer;
  readonly contentType?: string;
  readonly errorType?: string;
  readonly durationMs: number;
  readonly maxMemoryUsedBytes: number;
  /** The environment can not be reused (timeout, crash, OOM): the next invoke starts a new one. */
  readonly reset: boolean;
  /** Exit description for `Runtime.ExitError` (`exit status 1`, `signal: killed`). */
  readonly exitReason?: string;
  /** The runtime answered, but did not ask for the next event before the deadline. */
  readonly timedOutAfterAnswer?: boolean;
  /** The environment was killed for going over its memory size. */
  readonly outOfMemory?: boolean;
  /** The runtime streamed its response (`Lambda-Runtime-Function-Response-Mode: streaming`). */
  readonly streamed?: boolean;
}

/** The phases of Lambda's lifecycle an environment goes through: new → init → (idle ⇄ invoke)… → dead. */
export type Phase = 'new' | 'init' | 'idle' | 'invoke' | 'dead';

/**
 * A single execution environment: the phase state machine over a supervised process group, its memory meter,
 * its log stream and its Runtime API server. The caller drives it: `init()` once, then `invoke()` one at a time,
 * then `shutdown()`. It never throws for the function's misbehaviour: that comes back as an outcome.
 */
export class ExecutionEnvironment implements RuntimeApiListener {
  readonly instanceId = crypto.randomBytes(16).toString('hex');
  readonly logStreamName: string;
  readonly logFile: string;
  private readonly server: RuntimeApiEndpoint;
  private readonly supervisor: Supervisor;
  private readonly clock: Clock;
  private readonly meter: MemoryMeter;
  private readonly log: LogStream;
  private phase: Phase = 'new';
  private exitReason?: string;
  private initWaiter?: (outcome: InitOutcome) => void;
  private invokeWaiter?: (outcome: EnvironmentInvokeOutcome) => void;
  private cancelTimer?: () => void;
  private currentRequestId?: string;
  private onResponseChunkOfCurrent?: (chunk: Buffer) => void;
  private posted?: RuntimeOutcome;
  private phaseStart = 0;
  /** Cancels the freeze asked for at the end of INIT or of an invoke, while it has not happened yet. */
  private cancelFreeze?: () => void;

  constructor(private readonly options: EnvironmentOptions) {
    this.logStreamName = logStreamName(this.functionVersion, this.instanceId);
    this.logFile = path.join(options.logDir, `${this.logStreamName.replace(/[/[\]$]/g, '_')}.log`);
    this.supervisor = options.supervisor ?? new ProcessSupervisor();
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.server = options.runtimeApi ? options.runtimeApi(this) : new RuntimeApiServer(this);
    this.log = new LogStream(this.logFile);
    this.meter = new MemoryMeter(() => this.supervisor.processGroupId, options.spec.memorySize * 1024 * 1024, () => {
      // Over the memory size: the group is killed, as Lambda's cgroup does; the exit handler ends the phase.
      this.exitReason = 'signal: killed';
      this.supervisor.signalKill();
    }, this.clock, options.memoryReader);
  }

  get functionVersion(): string {
    return this.options.functionVersion ?? '$LATEST';
  }

  get isReusable(): boolean {
    return this.phase === 'idle';
  }

  /** The lifecycle phase the environment is in. */
  get currentPhase(): Phase {
    return this.phase;
  }

  /** The process group id of the runtime (0 before start): tests and tools use it to check for leftovers. */
  get processGroupId(): number {
    return this.supervisor.processGroupId;
  }

  /** Size of the log file so far: callers read what an invocation wrote from here. */
  logOffset(): number {
    return this.log.offset();
  }

  /** Appends a platform line (START, END, REPORT …) to this environment's log stream. */
  writeLog(line: string): void {
    this.log.write(line);
  }

  /** Reads the log stream from `offset` to its current end. */
  readLog(offset: number): string {
    return this.log.read(offset);
  }

  /** Starts the runtime and waits for it to ask for its first event (INIT), within `budgetMs`. */
  async init(budgetMs: number): Promise<InitOutcome> {
    const { spec } = this.options;
    fs.mkdirSync(this.options.logDir, { recursive: true });
    fs.mkdirSync(this.options.tmpDir, { recursive: true });
    this.log.open();
    const driver = driverFor(spec.runtime);
    const interpreter = driver?.interpreted ? hostInterpreter(spec.runtime!, this.options.interpreters) : undefined;
    if (spec.runtime && driver?.family !== 'provided') {
      this.writeLog(initStartLine(spec.runtime, spec.region, hostInterpreter(spec.runtime, this.options.interpreters).version));
    }
    await ensureRuntimeLibraries(spec.runtime, [this.options.taskRoot, this.options.optDir]);
    // Found (the launcher compiled, the host probed) once per process, before INIT's clock starts.
    reaperExecutable();
    isolationSupport();
    const runtimeApi = await this.server.listen();
    this.phase = 'init';
    this.phaseStart = this.clock.now();
    const outcome = new Promise<InitOutcome>((resolve) => (this.initWaiter = resolve));
    const cancelTimer = this.clock.after(budgetMs, () => this.finishInit({ status: 'timeout', durationMs: budgetMs }));

    const launch = launchPlan({ ...this.options, interpreter });
    if ('missing' in launch) {
      // Lambda's own words when a custom runtime has no bootstrap to run.
      this.finishInit(this.entrypointFailure(launch.missing));
    } else {
      const env = buildEnvironmentVariables({
        spec,
        paths: launch.paths,
        runtimeApi,
        logStreamName: this.logStreamName,
        functionVersion: this.functionVersion,
        overrides: this.options.environmentOverrides,
        credentials: this.options.credentials,
        privateTmp: launch.isolated,
        hostVersion: interpreter?.version,
      });
      this.supervisor.start(
        { command: launch.command, args: launch.args, cwd: this.options.taskRoot, env, outputFd: this.log.descriptor, reaper: launch.reaper },
        (exit) => this.onExit(launch.isolated ? isolatedExit(exit, this.options.tmpDir) : exit),
        (reason) => {
          this.exitReason = reason;
          this.finishInit(this.entrypointFailure(undefined, reason));
        },
      );
      this.meter.reset(this.supervisor.processGroupId, launch.launchers);
      if (this.supervisor.processGroupId) this.meter.start();
    }
    const result = await outcome;
    cancelTimer();
    if (result.status !== 'success') await this.kill();
    return result;
  }

  /** Runs one invocation. The environment must be idle (after a successful init or invoke). */
  async invoke(inv: EnvironmentInvocation): Promise<EnvironmentInvokeOutcome> {
    if (this.phase !== 'idle') throw new Error(`environment ${this.instanceId} is ${this.phase}, not idle`);
    this.phase = 'invoke';
    this.posted = undefined;
    this.currentRequestId = inv.requestId;
    this.onResponseChunkOfCurrent = inv.onResponseChunk;
    const outcome = new Promise<EnvironmentInvokeOutcome>((resolve) => (this.invokeWaiter = resolve));
    const pending: PendingInvocation = {
      requestId: inv.requestId,
      payload: inv.payload,
      deadlineMs: this.clock.wallNow() + inv.budgetMs,
      invokedFunctionArn: inv.invokedFunctionArn,
      traceId: inv.traceId,
      clientContext: inv.clientContext,
      cognitoIdentity: inv.cognitoIdentity,
      tenantId: inv.tenantId,
    };
    this.phaseStart = this.clock.now();
    if (this.cancelFreeze) {
      // Handed over in the same turn as the previous phase ended: the runtime was never stopped, so it needs no thaw.
      this.cancelFreeze();
      this.cancelFreeze = undefined;
    } else {
      // Thawed before the event goes out, as Lambda thaws a sandbox before handing it an event: the runtime wakes
      // to an empty socket, so the SIGCONT call does not also run the start of the invocation on the twin's CPU
      // (through start-lambda: SIGCONT p50 86 → 67 µs, p90 330 → 93 µs).
      this.supervisor.thaw();
    }
    this.server.deliver(pending);
    this.meter.start();
    this.cancelTimer = this.clock.after(inv.budgetMs, () => this.onTimeout());
    const result = await outcome;
    if (result.reset) await this.kill();
    return result;
  }

  /** SHUTDOWN: SIGTERM to the group, a short grace, then SIGKILL; closes the Runtime API and the log. */
  async shutdown(): Promise<void> {
    this.cancelFreeze?.();
    this.cancelFreeze = undefined;
    if (this.supervisor.running) await this.supervisor.terminate(SHUTDOWN_GRACE_MS);
    await this.kill();
    this.log.close();
  }

  // --- Runtime API events -------------------------------------------------------------------------------

  onNext(): void {
    if (this.phase === 'init') {
      this.finishInit({ status: 'success', durationMs: this.clock.now() - this.phaseStart });
    } else if (this.phase === 'invoke' && this.posted) {
      // The runtime is done with the invocation: freeze it until the next one (as Lambda does).
      // A response over the size limit leaves the runtime's client failing; Lambda resets the environment.
      const reset = this.posted.errorType === 'Function.ResponseSizeTooLarge';
      if (!reset) this.freezeSoon();
      this.finishInvoke(this.posted.kind, this.posted, reset);
    }
  }

  onInitError(sentType: string | undefined, body: Buffer): void {
    if (this.phase !== 'init') return;
    // RAPID records the header's type; clients that send none (awslambdaric) still name it in the body.
    const errorType = platformErrorType(sentType ?? errorTypeOf(body), 'Runtime');
    this.finishInit({ status: 'error', durationMs: this.clock.now() - this.phaseStart, errorType, errorBody: body });
  }

  onOutcome(requestId: string, outcome: RuntimeOutcome): void {
    if (this.phase === 'invoke' && requestId === this.currentRequestId) this.posted = outcome;
  }

  onResponseChunk(requestId: string, chunk: Buffer): void {
    if (this.phase === 'invoke' && requestId === this.currentRequestId) this.onResponseChunkOfCurrent?.(chunk);
  }

  // --- lifecycle internals -------------------------------------------------------------------------------

  private entrypointFailure(missing?: string[], reason?: string): InitOutcome {
    const error = entrypointError(missing, reason);
    return { status: 'error', durationMs: this.clock.now() - this.phaseStart, errorType: error.errorType, errorBody: error.body };
  }

  private finishInit(outcome: InitOutcome): void {
    if (this.phase !== 'init') return;
    this.meter.stop();
    this.phase = outcome.status === 'success' ? 'idle' : 'dead';
    if (outcome.status === 'success') {
      this.meter.sample();
      this.freezeSoon();
    }
    const waiter = this.initWaiter;
    this.initWaiter = undefined;
    waiter?.(outcome);
  }

  private finishInvoke(kind: EnvironmentInvokeOutcome['kind'], posted: RuntimeOutcome | undefined, reset: boolean, timedOutAfterAnswer = false): void {
    if (this.phase !== 'invoke') return;
    const durationMs = this.clock.now() - this.phaseStart;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.meter.stop();
    this.phase = reset ? 'dead' : 'idle';
    this.server.clearInvocation();
    this.onResponseChunkOfCurrent = undefined;
    const waiter = this.invokeWaiter;
    this.invokeWaiter = undefined;
    const oom = this.meter.overLimit;
    waiter?.({
      kind,
      body: posted?.body ?? EMPTY,
      contentType: posted?.contentType,
      errorType: posted?.errorType,
      durationMs,
      maxMemoryUsedBytes: oom ? this.meter.limitBytes : this.meter.peakBytes(),
      reset,
      exitReason: this.exitReason,
      timedOutAfterAnswer,
      outOfMemory: oom,
      streamed: posted?.streamed === true,
    });
  }

  private onTimeout(): void {
    if (this.phase !== 'invoke') return;
    // An answer posted in time still reaches the caller; the environment is reset all the same.
    const posted = this.posted;
    if (posted) this.finishInvoke(posted.kind, posted, true, true);
    // Over the memory size by the high-water mark: the kill Lambda's cgroup would have made came first.
    else if (this.meter.checkPeak()) this.finishInvoke('exit', undefined, true);
    else this.finishInvoke('timeout', undefined, true);
  }

  private onExit(exit: ProcessExit): void {
    if (!this.exitReason) this.exitReason = exitReasonOf(exit.code, exit.signal, this.meter.overLimit);
    if (this.phase === 'init') {
      this.finishInit({
        status: 'error',
        durationMs: this.clock.now() - this.phaseStart,
        errorType: 'Runtime.ExitError',
        exitReason: this.exitReason,
      });
    } else if (this.phase === 'invoke') {
      // An answer posted before the crash still stands (Node posts, then exits on an uncaught exception).
      const posted = this.posted;
      this.finishInvoke(posted ? posted.kind : 'exit', posted, true);
    } else {
      this.phase = 'dead';
    }
  }

  /**
   * Freezes the process group (SIGSTOP) once the twin's current turn of its event loop is over: an invoke the caller
   * hands over in that same turn (a loop of invokes, the first invoke after INIT) finds the runtime still parked in
   * `/next` and skips the SIGSTOP/SIGCONT pair, which costs more than the rest of a warm invoke's bookkeeping.
   * Otherwise the runtime is stopped microseconds after it asked for its next event rather than at once, so a timer
   * due in that window can run before the freeze instead of after the thaw (docs/differences.md).
   */
  private freezeSoon(): void {
    if (this.cancelFreeze) return;
    this.cancelFreeze = this.clock.soon(() => {
      this.cancelFreeze = undefined;
      if (this.phase === 'idle') this.supervisor.freeze();
    });
  }

  /** Kills the whole process group and waits for the runtime to be gone. The log stays readable. */
  private async kill(): Promise<void> {
    this.cancelFreeze?.();
    this.cancelFreeze = undefined;
    this.meter.close();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    await this.supervisor.kill();
    this.phase = 'dead';
    await this.server.close().catch(() => undefined);
  }
}

const EMPTY = Buffer.alloc(0);
