// One execution environment: a native process group running a runtime against its own Runtime API server,
// through Lambda's INIT → INVOKE (→ freeze/thaw) → SHUTDOWN lifecycle, with the timeout and memory limit enforced.
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildEnvironmentVariables, EnvironmentPaths, logStreamName } from './environment-variables';
import { isolatedLaunch, isolationAvailable, ISOLATED_PATHS, plainLaunch } from './isolation';
import { forgetProcessGroup, trackProcessGroup } from './live-groups';
import { processGroupAlive, processTree, statusKb } from './process-tree';
import { FunctionSpec } from '../../model/function-spec';
import { initStartLine } from '../logs/platform-lines';
import { errorTypeOf, platformErrorType } from '../runtime-api/render';
import { PendingInvocation, RuntimeApiListener, RuntimeApiServer, RuntimeOutcome } from '../runtime-api/runtime-api-server';
import { hostInterpreter, InterpreterOverrides, RUNTIMES_DIR, runtimeFamily } from '../runtimes/runtimes';

/** How long a runtime gets to leave after SIGTERM at shutdown before SIGKILL (Lambda's runtime budget). */
const SHUTDOWN_GRACE_MS = 300;
/** How often the memory of a running environment is sampled (and its limit enforced). */
const MEMORY_SAMPLE_MS = 20;

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

/** One invocation handed to an environment. */
export interface EnvironmentInvocation {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  /** Time budget in ms (the function timeout, less what a suppressed init used). */
  readonly budgetMs: number;
  readonly traceId?: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  readonly tenantId?: string;
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

type Phase = 'new' | 'init' | 'idle' | 'invoke' | 'dead';

/**
 * A single execution environment. The caller drives it: `init()` once, then `invoke()` one at a time,
 * then `shutdown()`. It never throws for the function's misbehaviour: that comes back as an outcome.
 */
export class ExecutionEnvironment implements RuntimeApiListener {
  readonly instanceId = crypto.randomBytes(16).toString('hex');
  readonly logStreamName: string;
  readonly logFile: string;
  private readonly server = new RuntimeApiServer(this);
  private readonly memoryLimitBytes: number;
  private child?: ChildProcess;
  private pgid = 0;
  private phase: Phase = 'new';
  private frozen = false;
  private logFd = -1;
  private exitReason?: string;
  private oomKilled = false;
  private memorySampler?: NodeJS.Timeout;
  /** The pids of the environment's process tree as last walked; refreshed by the sampler, not per invoke. */
  private knownPids: number[] = [];
  private peakTreeRssBytes = 0;
  private initWaiter?: (outcome: InitOutcome) => void;
  private invokeWaiter?: (outcome: EnvironmentInvokeOutcome) => void;
  private invokeTimer?: NodeJS.Timeout;
  private currentRequestId?: string;
  private onResponseChunkOfCurrent?: (chunk: Buffer) => void;
  private posted?: RuntimeOutcome;
  private phaseStart = 0;
  private exited: Promise<void> = Promise.resolve();

  constructor(private readonly options: EnvironmentOptions) {
    this.logStreamName = logStreamName(this.functionVersion, this.instanceId);
    this.logFile = path.join(options.logDir, `${this.logStreamName.replace(/[/[\]$]/g, '_')}.log`);
    this.memoryLimitBytes = options.spec.memorySize * 1024 * 1024;
  }

  get functionVersion(): string {
    return this.options.functionVersion ?? '$LATEST';
  }

  get isReusable(): boolean {
    return this.phase === 'idle';
  }

  /** The process group id of the runtime (0 before start): tests and tools use it to check for leftovers. */
  get processGroupId(): number {
    return this.pgid;
  }

  /** Size of the log file so far: callers read what an invocation wrote from here. */
  logOffset(): number {
    return this.logFd >= 0 ? fs.fstatSync(this.logFd).size : 0;
  }

  /** Appends a platform line (START, END, REPORT …) to this environment's log stream. */
  writeLog(line: string): void {
    if (this.logFd >= 0) fs.writeSync(this.logFd, line.endsWith('\n') ? line : line + '\n');
  }

  /** Reads the log stream from `offset` to its current end. */
  readLog(offset: number): string {
    if (this.logFd < 0) return '';
    const size = fs.fstatSync(this.logFd).size;
    if (size <= offset) return '';
    const buffer = Buffer.allocUnsafe(size - offset);
    const read = fs.readSync(this.logFd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8', 0, read);
  }

  /** Starts the runtime and waits for it to ask for its first event (INIT), within `budgetMs`. */
  async init(budgetMs: number): Promise<InitOutcome> {
    const { spec } = this.options;
    fs.mkdirSync(this.options.logDir, { recursive: true });
    fs.mkdirSync(this.options.tmpDir, { recursive: true });
    this.logFd = fs.openSync(this.logFile, 'a+');
    const family = runtimeFamily(spec.runtime);
    if (spec.runtime && family !== 'provided') {
      this.writeLog(initStartLine(spec.runtime, spec.region, hostInterpreter(spec.runtime, this.options.interpreters).version));
    }
    const runtimeApi = await this.server.listen();
    this.phase = 'init';
    this.phaseStart = performance.now();
    const outcome = new Promise<InitOutcome>((resolve) => (this.initWaiter = resolve));
    const timer = setTimeout(() => this.finishInit({ status: 'timeout', durationMs: budgetMs }), budgetMs);

    const launch = this.launchPlan();
    if ('missing' in launch) {
      // Lambda's own words when a custom runtime has no bootstrap to run.
      this.finishInit(this.entrypointError(launch.missing));
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
      });
      if (family === 'python') {
        const version = hostInterpreter(spec.runtime!, this.options.interpreters).version;
        env.PYTHONPATH = [
          path.join(launch.paths.optDir, 'python', 'lib', `python${version}`, 'site-packages'),
          path.join(launch.paths.optDir, 'python'),
          launch.paths.runtimeDir,
        ].join(':');
      }
      this.spawnRuntime(launch.command, launch.args, env);
    }
    const result = await outcome;
    clearTimeout(timer);
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
      deadlineMs: Date.now() + inv.budgetMs,
      invokedFunctionArn: inv.invokedFunctionArn,
      traceId: inv.traceId,
      clientContext: inv.clientContext,
      cognitoIdentity: inv.cognitoIdentity,
      tenantId: inv.tenantId,
    };
    this.phaseStart = performance.now();
    this.server.deliver(pending);
    this.thaw();
    this.startMemorySampler();
    this.invokeTimer = setTimeout(() => this.onTimeout(), inv.budgetMs);
    const result = await outcome;
    if (result.reset) await this.kill();
    return result;
  }

  /** SHUTDOWN: SIGTERM to the group, a short grace, then SIGKILL; closes the Runtime API and the log. */
  async shutdown(): Promise<void> {
    if (this.child && this.pgid && processGroupAlive(this.pgid)) {
      this.thaw();
      try {
        process.kill(-this.pgid, 'SIGTERM');
      } catch {
        // already gone
      }
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise((resolve) => (graceTimer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
      await Promise.race([this.exited, grace]);
      clearTimeout(graceTimer);
    }
    await this.kill();
    if (this.logFd >= 0) {
      try {
        fs.closeSync(this.logFd);
      } catch {
        // closed already
      }
      this.logFd = -1;
    }
  }

  // --- Runtime API events -------------------------------------------------------------------------------

  onNext(): void {
    if (this.phase === 'init') {
      this.finishInit({ status: 'success', durationMs: performance.now() - this.phaseStart });
    } else if (this.phase === 'invoke' && this.posted) {
      // The runtime is done with the invocation: freeze it until the next one (as Lambda does).
      // A response over the size limit leaves the runtime's client failing; Lambda resets the environment.
      const reset = this.posted.errorType === 'Function.ResponseSizeTooLarge';
      if (!reset) this.freeze();
      this.finishInvoke(this.posted.kind, this.posted, reset);
    }
  }

  onInitError(sentType: string | undefined, body: Buffer): void {
    if (this.phase !== 'init') return;
    // RAPID records the header's type; clients that send none (awslambdaric) still name it in the body.
    const errorType = platformErrorType(sentType ?? errorTypeOf(body), 'Runtime');
    this.finishInit({ status: 'error', durationMs: performance.now() - this.phaseStart, errorType, errorBody: body });
  }

  onOutcome(requestId: string, outcome: RuntimeOutcome): void {
    if (this.phase === 'invoke' && requestId === this.currentRequestId) this.posted = outcome;
  }

  onResponseChunk(requestId: string, chunk: Buffer): void {
    if (this.phase === 'invoke' && requestId === this.currentRequestId) this.onResponseChunkOfCurrent?.(chunk);
  }

  // --- lifecycle internals -------------------------------------------------------------------------------

  /** What to run, with which paths: the host folders, or Lambda's own paths inside a private mount namespace. */
  private launchPlan(): { command: string; args: string[]; paths: EnvironmentPaths; isolated: boolean } | { missing: string[] } {
    const { spec } = this.options;
    const family = runtimeFamily(spec.runtime);
    const hostRuntimeDir = path.join(RUNTIMES_DIR, family);
    const isolated = this.options.isolate === true && isolationAvailable();
    const interpreted = family === 'python' || family === 'nodejs' || family === 'ruby';
    const interpreter = interpreted ? hostInterpreter(spec.runtime!, this.options.interpreters) : undefined;
    // An interpreter installed under /opt would be hidden by the layers bound there.
    const bindOpt = isolated && !(interpreter?.executable.startsWith('/opt/'));
    const paths: EnvironmentPaths = {
      taskRoot: isolated ? ISOLATED_PATHS.taskRoot : this.options.taskRoot,
      optDir: bindOpt ? ISOLATED_PATHS.optDir : this.options.optDir,
      runtimeDir: isolated && fs.existsSync(hostRuntimeDir) ? ISOLATED_PATHS.runtimeDir : hostRuntimeDir,
      langBinDir: interpreter ? path.dirname(interpreter.executable) : undefined,
      tmpDir: isolated ? ISOLATED_PATHS.tmpDir : this.options.tmpDir,
    };
    let command: string;
    let args: string[];
    if (family === 'python') {
      command = interpreter!.executable;
      args = ['-u', path.join(paths.runtimeDir, 'bootstrap.py')];
    } else if (family === 'nodejs') {
      command = interpreter!.executable;
      // Lambda sizes the Node heap from the memory setting, so a heap overflow fails as it does there.
      const heapMb = Math.max(16, Math.floor(spec.memorySize * 0.85));
      args = [`--max-old-space-size=${heapMb}`, '--max-http-header-size=81920', path.join(paths.runtimeDir, 'bootstrap.js')];
    } else if (family === 'ruby') {
      command = interpreter!.executable;
      args = [path.join(paths.runtimeDir, 'bootstrap.rb')];
    } else if (family === 'provided') {
      const hostCandidates = [path.join(this.options.taskRoot, 'bootstrap'), path.join(this.options.optDir, 'bootstrap')];
      const found = hostCandidates.findIndex((c) => fs.existsSync(c));
      if (found < 0) return { missing: [path.join(paths.taskRoot, 'bootstrap'), path.join(paths.optDir, 'bootstrap')] };
      command = path.join(found === 0 ? paths.taskRoot : paths.optDir, 'bootstrap');
      args = [];
    } else {
      throw new Error(`lambda-twin cannot run runtime '${spec.runtime}' locally yet (function ${spec.functionName})`);
    }
    if (!isolated) return { ...plainLaunch(command, args), paths, isolated };
    const folders = {
      tmpDir: this.options.tmpDir,
      taskRoot: this.options.taskRoot,
      optDir: bindOpt ? this.options.optDir : '-',
      runtimeDir: fs.existsSync(hostRuntimeDir) ? hostRuntimeDir : '-',
    };
    return { ...isolatedLaunch(folders, command, args), paths, isolated };
  }

  private spawnRuntime(command: string, args: string[], env: Record<string, string>): void {
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd: this.options.taskRoot,
        env,
        detached: true, // its own process group: freeze, thaw and kill address the whole group
        stdio: ['ignore', this.logFd, this.logFd],
      });
    } catch (err) {
      this.exitReason = `fork/exec ${command}: ${(err as Error).message}`;
      this.finishInit(this.entrypointError(undefined, this.exitReason));
      return;
    }
    this.child = child;
    this.pgid = child.pid ?? 0;
    trackProcessGroup(this.pgid);
    this.knownPids = this.pgid ? [this.pgid] : [];
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.onExit(code, signal);
        resolve();
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        // The executable could not be started (missing, not executable): there will be no 'exit'.
        if (this.pgid) return;
        this.child = undefined;
        this.exitReason = `fork/exec ${command}: ${err.code === 'EACCES' ? 'permission denied' : err.message}`;
        this.finishInit(this.entrypointError(undefined, this.exitReason));
        resolve();
      });
    });
    this.startMemorySampler();
  }

  private entrypointError(missing?: string[], reason?: string): InitOutcome {
    const errorMessage = missing ? `Couldn't find valid bootstrap(s): [${missing.join(' ')}]` : reason ?? 'invalid entrypoint';
    const errorType = 'Runtime.InvalidEntrypoint';
    return {
      status: 'error',
      durationMs: performance.now() - this.phaseStart,
      errorType,
      errorBody: Buffer.from(JSON.stringify({ errorType, errorMessage })),
    };
  }

  private finishInit(outcome: InitOutcome): void {
    if (this.phase !== 'init') return;
    this.stopMemorySampler();
    this.phase = outcome.status === 'success' ? 'idle' : 'dead';
    if (outcome.status === 'success') {
      this.sampleMemory();
      this.freeze();
    }
    const waiter = this.initWaiter;
    this.initWaiter = undefined;
    waiter?.(outcome);
  }

  private finishInvoke(kind: EnvironmentInvokeOutcome['kind'], posted: RuntimeOutcome | undefined, reset: boolean, timedOutAfterAnswer = false): void {
    if (this.phase !== 'invoke') return;
    const durationMs = performance.now() - this.phaseStart;
    clearTimeout(this.invokeTimer);
    this.stopMemorySampler();
    this.phase = reset ? 'dead' : 'idle';
    this.server.clearInvocation();
    this.onResponseChunkOfCurrent = undefined;
    const waiter = this.invokeWaiter;
    this.invokeWaiter = undefined;
    waiter?.({
      kind,
      body: posted?.body ?? Buffer.alloc(0),
      contentType: posted?.contentType,
      errorType: posted?.errorType,
      durationMs,
      maxMemoryUsedBytes: this.oomKilled ? this.memoryLimitBytes : this.peakMemoryBytes(),
      reset,
      exitReason: this.exitReason,
      timedOutAfterAnswer,
      outOfMemory: this.oomKilled,
      streamed: posted?.streamed === true,
    });
  }

  private onTimeout(): void {
    if (this.phase !== 'invoke') return;
    // An answer posted in time still reaches the caller; the environment is reset all the same.
    const posted = this.posted;
    if (posted) this.finishInvoke(posted.kind, posted, true, true);
    else this.finishInvoke('timeout', undefined, true);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.exitReason) {
      this.exitReason = this.oomKilled || signal === 'SIGKILL'
        ? 'signal: killed'
        : signal ? `signal: ${signalName(signal)}` : `exit status ${code ?? 0}`;
    }
    this.child = undefined;
    if (this.phase === 'init') {
      const errorType = 'Runtime.ExitError';
      this.finishInit({
        status: 'error',
        durationMs: performance.now() - this.phaseStart,
        errorType,
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

  private freeze(): void {
    if (this.frozen || !this.pgid) return;
    try {
      process.kill(-this.pgid, 'SIGSTOP');
      this.frozen = true;
    } catch {
      // the group is gone; the exit handler deals with it
    }
  }

  private thaw(): void {
    if (!this.frozen || !this.pgid) return;
    this.frozen = false;
    try {
      process.kill(-this.pgid, 'SIGCONT');
    } catch {
      // the group is gone
    }
  }

  /**
   * The peak memory of the environment: the largest tree RSS the sampler saw, or the kernel's per-process
   * high-water marks (VmHWM) of the known pids, whichever is larger. Only the status files of known pids are
   * read here, so a short invoke costs one small /proc read, not a walk of the tree.
   */
  private peakMemoryBytes(): number {
    let hwmKb = 0;
    for (const pid of this.knownPids) hwmKb += statusKb(pid, 'VmHWM');
    return Math.max(this.peakTreeRssBytes, hwmKb * 1024);
  }

  /** Walks the process tree, records its RSS, and kills the group when it is over the memory size. */
  private sampleMemory(): void {
    if (!this.pgid) return;
    this.knownPids = processTree(this.pgid);
    let rssKb = 0;
    for (const pid of this.knownPids) rssKb += statusKb(pid, 'VmRSS');
    const rss = rssKb * 1024;
    if (rss > this.peakTreeRssBytes) this.peakTreeRssBytes = rss;
    if (rss > this.memoryLimitBytes && !this.oomKilled) {
      this.oomKilled = true;
      this.exitReason = 'signal: killed';
      try {
        process.kill(-this.pgid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }

  private startMemorySampler(): void {
    if (this.memorySampler) return;
    this.memorySampler = setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS);
    this.memorySampler.unref(); // never what keeps the host process alive
  }

  private stopMemorySampler(): void {
    if (this.memorySampler) clearInterval(this.memorySampler);
    this.memorySampler = undefined;
  }

  /** Kills the whole process group and waits for the runtime to be gone. The log stays readable. */
  private async kill(): Promise<void> {
    this.stopMemorySampler();
    clearTimeout(this.invokeTimer);
    if (this.pgid) {
      this.frozen = false;
      try {
        process.kill(-this.pgid, 'SIGKILL');
      } catch {
        // gone already
      }
      if (this.child) await this.exited;
      // Wait for the rest of the group (grandchildren) to be reaped too.
      for (let i = 0; i < 100 && processGroupAlive(this.pgid); i++) await new Promise((r) => setTimeout(r, 5));
      forgetProcessGroup(this.pgid);
      this.pgid = 0; // never signal a group id the system may hand to someone else
    }
    this.phase = 'dead';
    await this.server.close().catch(() => undefined);
  }
}

function signalName(signal: NodeJS.Signals): string {
  // Go's names for signals, as RAPID prints them in "Runtime exited with error: signal: …".
  const names: Record<string, string> = {
    SIGKILL: 'killed',
    SIGSEGV: 'segmentation fault',
    SIGABRT: 'aborted',
    SIGTERM: 'terminated',
    SIGBUS: 'bus error',
    SIGILL: 'illegal instruction',
    SIGFPE: 'floating point exception',
    SIGINT: 'interrupt',
    SIGHUP: 'hangup',
    SIGQUIT: 'quit',
    SIGPIPE: 'broken pipe',
    SIGALRM: 'alarm clock',
    SIGUSR1: 'user defined signal 1',
    SIGUSR2: 'user defined signal 2',
    SIGTRAP: 'trace/breakpoint trap',
    SIGSYS: 'bad system call',
    SIGXCPU: 'CPU time limit exceeded',
  };
  return names[signal] ?? signal.toLowerCase();
}

