// One execution environment: a native process group running a runtime against its own Runtime API server,
// through Lambda's INIT → INVOKE (→ freeze/thaw) → SHUTDOWN lifecycle, with the timeout and memory limit enforced.
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { buildEnvironmentVariables, EnvironmentPaths, logStreamName } from './environment-variables';
import { processGroupAlive, treeMemoryBytes } from './process-tree';
import { FunctionSpec } from '../../model/function-spec';
import { initStartLine } from '../logs/platform-lines';
import { PendingInvocation, RuntimeApiListener, RuntimeApiServer, RuntimeOutcome } from '../runtime-api/runtime-api-server';
import { hostInterpreter, InterpreterOverrides, RUNTIMES_DIR, runtimeFamily } from '../runtimes/runtimes';

/** How long a runtime gets to leave after SIGTERM at shutdown before SIGKILL (Lambda's runtime budget). */
const SHUTDOWN_GRACE_MS = 300;
/** How often the memory of a running environment is sampled. */
const MEMORY_SAMPLE_MS = 25;

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
  readonly interpreters?: InterpreterOverrides;
  readonly environmentOverrides?: Record<string, string>;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Run the runtime in a private mount namespace (own /tmp, read-only task root). */
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
  private child?: ChildProcess;
  private pgid = 0;
  private phase: Phase = 'new';
  private frozen = false;
  private logFd = -1;
  private exitReason?: string;
  private oomKilled = false;
  private memorySampler?: NodeJS.Timeout;
  private initWaiter?: (outcome: InitOutcome) => void;
  private invokeWaiter?: (outcome: EnvironmentInvokeOutcome) => void;
  private currentRequestId?: string;
  private posted?: RuntimeOutcome;
  private phaseStart = 0;
  private exited?: Promise<void>;

  constructor(private readonly options: EnvironmentOptions) {
    this.logStreamName = logStreamName('$LATEST', this.instanceId);
    this.logFile = path.join(options.logDir, `${this.logStreamName.replace(/[/[\]$]/g, '_')}.log`);
  }

  get isReusable(): boolean {
    return this.phase === 'idle';
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
    const buffer = Buffer.alloc(size - offset);
    fs.readSync(this.logFd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  }

  /** Starts the runtime and waits for it to ask for its first event (INIT), within `budgetMs`. */
  async init(budgetMs: number): Promise<InitOutcome> {
    const { spec } = this.options;
    fs.mkdirSync(this.options.logDir, { recursive: true });
    fs.mkdirSync(this.options.tmpDir, { recursive: true });
    this.logFd = fs.openSync(this.logFile, 'a+');
    if (spec.runtime && runtimeFamily(spec.runtime) !== 'provided') {
      this.writeLog(initStartLine(spec.runtime, spec.region, hostInterpreter(spec.runtime, this.options.interpreters).version));
    }
    const runtimeApi = await this.server.listen();
    const { command, args, langBinDir } = this.command();
    const paths: EnvironmentPaths = {
      taskRoot: this.options.taskRoot,
      optDir: this.options.optDir,
      runtimeDir: path.join(RUNTIMES_DIR, runtimeFamily(spec.runtime)),
      langBinDir,
      tmpDir: this.options.tmpDir,
    };
    const env = buildEnvironmentVariables({
      spec,
      paths,
      runtimeApi,
      logStreamName: this.logStreamName,
      overrides: this.options.environmentOverrides,
      credentials: this.options.credentials,
    });
    if (runtimeFamily(spec.runtime) === 'python') {
      const version = hostInterpreter(spec.runtime!, this.options.interpreters).version;
      env.PYTHONPATH = [
        path.join(this.options.optDir, 'python', 'lib', `python${version}`, 'site-packages'),
        path.join(this.options.optDir, 'python'),
        paths.runtimeDir,
      ].join(':');
    }

    this.phase = 'init';
    this.phaseStart = performance.now();
    const outcome = new Promise<InitOutcome>((resolve) => (this.initWaiter = resolve));
    const child = spawn(command, args, {
      cwd: this.options.taskRoot,
      env,
      detached: true, // its own process group: freeze, thaw and kill address the whole group
      stdio: ['ignore', this.logFd, this.logFd],
    });
    this.child = child;
    this.pgid = child.pid ?? 0;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.onExit(code, signal);
      resolve();
    }));
    child.once('error', (err) => {
      this.exitReason = `failed to start: ${err.message}`;
      this.onExit(null, null);
    });
    this.startMemorySampler();
    const timer = setTimeout(() => this.finishInit({ status: 'timeout', durationMs: budgetMs }), budgetMs);
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
    this.phaseStart = performance.now();
    const outcome = new Promise<EnvironmentInvokeOutcome>((resolve) => (this.invokeWaiter = resolve));
    const pending: PendingInvocation = {
      requestId: inv.requestId,
      payload: inv.payload,
      deadlineMs: Date.now() + inv.budgetMs,
      invokedFunctionArn: inv.invokedFunctionArn,
      traceId: inv.traceId,
      clientContext: inv.clientContext,
      cognitoIdentity: inv.cognitoIdentity,
    };
    this.server.deliver(pending);
    this.thaw();
    this.startMemorySampler();
    const timer = setTimeout(() => this.onTimeout(), inv.budgetMs);
    const result = await outcome;
    clearTimeout(timer);
    if (result.reset) await this.kill();
    return result;
  }

  /** SHUTDOWN: SIGTERM to the group, a short grace, then SIGKILL; closes the Runtime API. */
  async shutdown(): Promise<void> {
    if (this.child && this.pgid && processGroupAlive(this.pgid)) {
      this.thaw();
      try {
        process.kill(-this.pgid, 'SIGTERM');
      } catch {
        // already gone
      }
      const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
      await Promise.race([this.exited, grace]);
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
      this.freeze();
      this.finishInvoke(this.posted.kind, this.posted, false);
    }
  }

  onInitError(errorType: string, body: Buffer): void {
    if (this.phase === 'init') {
      this.finishInit({ status: 'error', durationMs: performance.now() - this.phaseStart, errorType, errorBody: body });
    }
  }

  onOutcome(requestId: string, outcome: RuntimeOutcome): void {
    if (this.phase === 'invoke' && requestId === this.currentRequestId) this.posted = outcome;
  }

  // --- lifecycle internals -------------------------------------------------------------------------------

  private command(): { command: string; args: string[]; langBinDir?: string } {
    const { spec } = this.options;
    const family = runtimeFamily(spec.runtime);
    const runtimeDir = path.join(RUNTIMES_DIR, family);
    let command: string;
    let args: string[];
    let langBinDir: string | undefined;
    if (family === 'python') {
      const python = hostInterpreter(spec.runtime!, this.options.interpreters);
      command = python.executable;
      langBinDir = path.dirname(python.executable);
      args = ['-u', path.join(runtimeDir, 'bootstrap.py')];
    } else if (family === 'nodejs') {
      const node = hostInterpreter(spec.runtime!, this.options.interpreters);
      command = node.executable;
      langBinDir = path.dirname(node.executable);
      const heapMb = Math.max(16, Math.floor(spec.memorySize * 0.85));
      args = [`--max-old-space-size=${heapMb}`, '--max-http-header-size=81920', path.join(runtimeDir, 'bootstrap.js')];
    } else if (family === 'provided') {
      const candidates = [path.join(this.options.taskRoot, 'bootstrap'), path.join(this.options.optDir, 'bootstrap')];
      command = candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
      args = [];
    } else {
      throw new Error(`lambda-twin cannot run runtime '${spec.runtime}' locally yet (function ${spec.functionName})`);
    }
    if (this.options.isolate) {
      return { command: 'unshare', args: ['-m', '--propagation', 'private', '--', isolationScript(), this.options.tmpDir, this.options.taskRoot, command, ...args], langBinDir };
    }
    return { command, args, langBinDir };
  }

  private finishInit(outcome: InitOutcome): void {
    if (this.phase !== 'init') return;
    this.stopMemorySampler();
    this.phase = outcome.status === 'success' ? 'idle' : 'dead';
    if (outcome.status === 'success') this.freeze();
    const waiter = this.initWaiter;
    this.initWaiter = undefined;
    waiter?.(outcome);
  }

  private finishInvoke(kind: EnvironmentInvokeOutcome['kind'], posted: RuntimeOutcome | undefined, reset: boolean): void {
    if (this.phase !== 'invoke') return;
    const durationMs = performance.now() - this.phaseStart;
    this.stopMemorySampler();
    const maxMemoryUsedBytes = this.oomKilled
      ? this.options.spec.memorySize * 1024 * 1024
      : this.pgid ? treeMemoryBytes(this.pgid, 'VmHWM') : 0;
    this.phase = reset ? 'dead' : 'idle';
    this.server.clearInvocation();
    const waiter = this.invokeWaiter;
    this.invokeWaiter = undefined;
    waiter?.({
      kind,
      body: posted?.body ?? Buffer.alloc(0),
      contentType: posted?.contentType,
      errorType: posted?.errorType,
      durationMs,
      maxMemoryUsedBytes,
      reset,
      exitReason: this.exitReason,
    });
  }

  private onTimeout(): void {
    if (this.phase !== 'invoke') return;
    this.finishInvoke('timeout', undefined, true);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (!this.exitReason) {
      this.exitReason = this.oomKilled || signal === 'SIGKILL'
        ? 'signal: killed'
        : signal ? `signal: ${signalName(signal)}` : `exit status ${code ?? 0}`;
    }
    this.child = undefined;
    if (this.phase === 'init') {
      this.finishInit({
        status: 'error',
        durationMs: performance.now() - this.phaseStart,
        errorType: 'Runtime.ExitError',
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

  private startMemorySampler(): void {
    const limit = this.options.spec.memorySize * 1024 * 1024;
    this.memorySampler = setInterval(() => {
      if (!this.pgid) return;
      if (treeMemoryBytes(this.pgid, 'VmRSS') > limit) {
        this.oomKilled = true;
        this.exitReason = 'signal: killed';
        try {
          process.kill(-this.pgid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }, MEMORY_SAMPLE_MS);
  }

  private stopMemorySampler(): void {
    if (this.memorySampler) clearInterval(this.memorySampler);
    this.memorySampler = undefined;
  }

  /** Kills the whole process group and waits for the runtime to be gone. The log stays readable. */
  private async kill(): Promise<void> {
    this.stopMemorySampler();
    if (this.pgid) {
      this.frozen = false;
      try {
        process.kill(-this.pgid, 'SIGKILL');
      } catch {
        // gone already
      }
      if (this.child) await this.exited;
      // Grandchildren that left the group are not ours to chase; the rest are gone with the group.
      for (let i = 0; i < 50 && processGroupAlive(this.pgid); i++) await new Promise((r) => setTimeout(r, 10));
    }
    this.phase = 'dead';
    await this.server.close().catch(() => undefined);
  }
}

function signalName(signal: NodeJS.Signals): string {
  const names: Record<string, string> = {
    SIGKILL: 'killed', SIGSEGV: 'segmentation fault', SIGABRT: 'aborted', SIGTERM: 'terminated',
    SIGBUS: 'bus error', SIGILL: 'illegal instruction', SIGFPE: 'floating point exception', SIGINT: 'interrupt',
  };
  return names[signal] ?? signal.toLowerCase();
}

/** The script run inside a private mount namespace: own /tmp, read-only task root, then exec the runtime. */
function isolationScript(): string {
  return path.join(RUNTIMES_DIR, 'isolate.sh');
}
