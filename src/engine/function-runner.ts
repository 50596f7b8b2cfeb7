// Runs one function: a pool of execution environments (warm reuse, concurrency cap, idle shutdown), cold
// starts with Lambda's INIT rules (10 s budget, suppressed init retried inside the invoke), and the result and
// log shapes a caller of Lambda sees.
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { prepareCode, PreparedCode } from './code/prepare-code';
import { EnvironmentInvokeOutcome, EnvironmentOptions, ExecutionEnvironment, InitOutcome } from './environment/execution-environment';
import { billedDurationMs, endAndReportLines, exitError, exitErrorLines, initReportLine, startLine, timeoutError, timeoutLine } from './logs/platform-lines';
import { errorTypeOf } from './runtime-api/render';
import { functionArn, FunctionSpec } from '../model/function-spec';
import { InterpreterOverrides } from './runtimes/runtimes';

/** Lambda's INIT budget for on-demand environments. */
export const INIT_BUDGET_MS = 10_000;

export interface RunnerOptions {
  /** Folder for this function's code copy, environments' /tmp and logs. */
  readonly stateDir: string;
  readonly interpreters?: InterpreterOverrides;
  readonly environmentOverrides?: Record<string, string>;
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Most environments at once (reserved concurrency wins when lower). */
  readonly maxEnvironments: number;
  /** INIT's time limit (Lambda's is 10 s; tests shorten it). */
  readonly initBudgetMs?: number;
  /** Shut an environment down after this long without an invoke. */
  readonly idleTimeoutMs: number;
  readonly isolate?: boolean;
  /** Called with each invoke's log text (the CLI prints it live). */
  readonly onLog?: (functionName: string, text: string) => void;
}

export interface RunnerInvocation {
  readonly payload: Buffer;
  readonly requestId?: string;
  /** The version an alias or qualifier resolved to (`$LATEST` by default). */
  readonly executedVersion?: string;
  readonly qualifier?: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  readonly traceId?: string;
  /** The tenant of a multi-tenant function (`Lambda-Runtime-Aws-Tenant-Id`). */
  readonly tenantId?: string;
  /** Fail fast with `TooManyRequests` instead of waiting when every environment is busy. */
  readonly rejectWhenBusy?: boolean;
  /**
   * Called with each piece of a streamed response as the function sends it (response streaming). The result's
   * `payload` still holds the whole response.
   */
  readonly onResponseChunk?: (chunk: Buffer) => void;
}

/** What one invocation produced, in the shape of Lambda's Invoke response plus its platform facts. */
export interface RunnerResult {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly contentType: string;
  /** `Unhandled` when the function failed (Lambda's `X-Amz-Function-Error`). */
  readonly functionError?: string;
  readonly errorType?: string;
  readonly logs: string;
  readonly executedVersion: string;
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  readonly coldStart: boolean;
  readonly timedOut: boolean;
  /** The environment was thrown away (timeout, crash, OOM, init failure). */
  readonly reset: boolean;
  /** The environment was killed for using more memory than its memory size. */
  readonly outOfMemory?: boolean;
  /** The log stream (environment) that ran the invoke: parallel invokes show different ones. */
  readonly logStreamName?: string;
  /** The function streamed its response (`awslambda.streamifyResponse`, or a runtime posting in streaming mode). */
  readonly streamed?: boolean;
}

/** Thrown when every environment is busy and the caller asked not to wait. */
export class TooManyRequestsError extends Error {
  constructor(readonly functionName: string, readonly limit: number, readonly reserved: boolean) {
    super(`Rate Exceeded: function ${functionName} is already running ${limit} concurrent invocation(s)` +
      (reserved ? ' (its reserved concurrency).' : ' (the local concurrency limit).'));
  }
}

export class FunctionRunner {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly idleTimers = new Map<ExecutionEnvironment, NodeJS.Timeout>();
  private readonly waiting: Array<() => void> = [];
  private readonly leftoverTmpDirs: string[] = [];
  private active = 0;
  private readonly environments = new Set<ExecutionEnvironment>();
  private prepared?: Promise<PreparedCode>;
  private closed = false;
  private readonly unqualifiedArn: string;

  constructor(readonly spec: FunctionSpec, private readonly options: RunnerOptions) {
    this.unqualifiedArn = functionArn(spec);
  }

  /** Process group ids of the environments alive now (for tools and tests that check for leftovers). */
  get processGroupIds(): number[] {
    return [...this.environments].map((e) => e.processGroupId).filter((pgid) => pgid > 0);
  }

  /** How many environments exist now (busy or warm). */
  get environmentCount(): number {
    return this.environments.size;
  }

  /** The concurrency this function may use. */
  get concurrencyLimit(): number {
    const reserved = this.spec.reservedConcurrency;
    return reserved !== undefined ? Math.min(reserved, this.options.maxEnvironments) : this.options.maxEnvironments;
  }

  async invoke(inv: RunnerInvocation): Promise<RunnerResult> {
    if (this.closed) throw new Error(`The local twin was shut down; function ${this.spec.functionName} cannot be invoked`);
    const requestId = inv.requestId ?? crypto.randomUUID();
    await this.acquireSlot(inv.rejectWhenBusy === true);
    try {
      const warm = this.takeIdle(inv.executedVersion ?? '$LATEST');
      if (warm) {
        this.clearIdleTimer(warm);
        return await this.runWarm(warm, inv, requestId);
      }
      return await this.runCold(inv, requestId);
    } finally {
      this.releaseSlot();
    }
  }

  /** Shuts every environment down (SHUTDOWN), and refuses new invokes. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const env of this.idle.splice(0)) this.clearIdleTimer(env);
    // Busy environments too: their invokes end as a runtime exit, as when Lambda reclaims an environment.
    await Promise.all([...this.environments].map((env) => env.shutdown()));
  }

  // ---------------------------------------------------------------------------------------------------------

  private async runWarm(env: ExecutionEnvironment, inv: RunnerInvocation, requestId: string): Promise<RunnerResult> {
    const offset = env.logOffset();
    const outcome = await this.invokeOn(env, inv, requestId, this.spec.timeout * 1000);
    return this.finish(env, offset, '', inv, requestId, outcome, undefined, false);
  }

  private async runCold(inv: RunnerInvocation, requestId: string): Promise<RunnerResult> {
    const code = await this.prepare();
    const version = inv.executedVersion ?? '$LATEST';
    let env = this.newEnvironment(code, version);
    let init = await env.init(this.options.initBudgetMs ?? INIT_BUDGET_MS);
    let earlierLogs = '';
    if (init.status !== 'success') {
      // INIT failed or timed out: Lambda reports it and retries INIT inside the invoke (a "suppressed init").
      env.writeLog(initReportLine(init.durationMs, 'init', init.status, init.status === 'error' ? init.errorType : undefined));
      earlierLogs = env.readLog(0);
      await this.discard(env);
      env = this.newEnvironment(code, version);
      init = await env.init(this.spec.timeout * 1000);
      if (init.status !== 'success') {
        env.writeLog(initReportLine(init.durationMs, 'invoke', init.status, init.status === 'error' ? init.errorType : undefined));
        return this.failedInit(env, earlierLogs, inv, requestId, init);
      }
    }
    // A suppressed init spends the invoke's own time budget.
    const budget = Math.max(1, this.spec.timeout * 1000 - (earlierLogs ? init.durationMs : 0));
    const outcome = await this.invokeOn(env, inv, requestId, budget);
    // The init's own output (INIT_START, prints at import) comes before START, as in the log stream.
    return this.finish(env, 0, earlierLogs, inv, requestId, outcome, init.durationMs, true);
  }

  private async invokeOn(env: ExecutionEnvironment, inv: RunnerInvocation, requestId: string, budgetMs: number): Promise<EnvironmentInvokeOutcome> {
    env.writeLog(startLine(requestId, inv.executedVersion ?? '$LATEST'));
    return env.invoke({
      requestId,
      payload: inv.payload,
      invokedFunctionArn: inv.qualifier ? functionArn(this.spec, inv.qualifier) : this.unqualifiedArn,
      budgetMs,
      traceId: inv.traceId ?? traceHeader(),
      clientContext: inv.clientContext,
      cognitoIdentity: inv.cognitoIdentity,
      tenantId: inv.tenantId,
      onResponseChunk: inv.onResponseChunk,
    });
  }

  private async finish(
    env: ExecutionEnvironment, offset: number, earlierLogs: string, inv: RunnerInvocation, requestId: string,
    outcome: EnvironmentInvokeOutcome, initDurationMs: number | undefined, coldStart: boolean,
  ): Promise<RunnerResult> {
    let payload = outcome.body;
    let contentType = outcome.contentType ?? 'application/json';
    let functionError: string | undefined;
    let errorType: string | undefined;
    let status: string | undefined;
    let reportErrorType: string | undefined;
    if (outcome.kind === 'error') {
      functionError = 'Unhandled';
      errorType = errorTypeOf(outcome.body) ?? outcome.errorType;
      contentType = 'application/json';
      if (outcome.errorType === 'Function.ResponseSizeTooLarge') errorType = 'Function.ResponseSizeTooLarge';
    }
    if (outcome.timedOutAfterAnswer) {
      // The caller has the answer already; the environment pays for not asking for the next event in time.
      status = 'timeout';
      env.writeLog(timeoutLine(requestId, this.spec.timeout));
    } else if (outcome.kind === 'timeout') {
      const error = timeoutError(requestId, this.spec.timeout);
      functionError = 'Unhandled';
      errorType = error.errorType;
      status = 'timeout';
      env.writeLog(timeoutLine(requestId, this.spec.timeout));
      payload = error.body;
      contentType = 'application/json';
    } else if (outcome.kind === 'exit') {
      const reason = outcome.exitReason ?? 'exit status 0';
      const error = exitError(requestId, reason);
      functionError = 'Unhandled';
      errorType = error.errorType;
      status = 'error';
      reportErrorType = errorType;
      env.writeLog(exitErrorLines(requestId, reason));
      payload = error.body;
      contentType = 'application/json';
    }
    if (outcome.reset && !status) {
      // The runtime answered, then died (Node exits after an uncaught exception): the environment is reset.
      status = 'error';
      reportErrorType = 'Runtime.ExitError';
      env.writeLog(exitErrorLines(requestId, outcome.exitReason ?? 'exit status 0'));
    }
    const maxMemoryUsedMb = Math.min(this.spec.memorySize, Math.max(1, Math.round(outcome.maxMemoryUsedBytes / (1024 * 1024))));
    env.writeLog(endAndReportLines({
      requestId,
      durationMs: outcome.durationMs,
      memorySizeMb: this.spec.memorySize,
      maxMemoryUsedMb,
      initDurationMs,
      status,
      errorType: reportErrorType,
    }));
    const logs = earlierLogs + env.readLog(offset);
    this.options.onLog?.(this.spec.functionName, logs);
    if (outcome.reset) {
      await this.discard(env);
    } else {
      this.release(env);
    }
    return {
      requestId,
      payload,
      contentType,
      functionError,
      errorType,
      logs,
      executedVersion: inv.executedVersion ?? '$LATEST',
      durationMs: outcome.durationMs,
      billedDurationMs: billedDurationMs(outcome.durationMs, initDurationMs),
      maxMemoryUsedMb,
      initDurationMs,
      coldStart,
      timedOut: outcome.kind === 'timeout' || outcome.timedOutAfterAnswer === true,
      reset: outcome.reset,
      outOfMemory: outcome.outOfMemory === true,
      logStreamName: env.logStreamName,
      streamed: outcome.streamed === true,
    };
  }

  private async failedInit(
    env: ExecutionEnvironment, earlierLogs: string, inv: RunnerInvocation, requestId: string, init: InitOutcome,
  ): Promise<RunnerResult> {
    const errorType = init.status === 'timeout' ? 'Sandbox.Timedout' : init.errorType ?? 'Runtime.Unknown';
    let payload: Buffer;
    if (init.status === 'timeout') {
      env.writeLog(timeoutLine(requestId, this.spec.timeout));
      payload = timeoutError(requestId, this.spec.timeout).body;
    } else if (init.errorBody && init.errorBody.length > 0) {
      payload = init.errorBody;
    } else {
      const reason = init.exitReason ?? 'exit status 1';
      env.writeLog(exitErrorLines(requestId, reason));
      payload = exitError(requestId, reason).body;
    }
    env.writeLog(startLine(requestId, inv.executedVersion ?? '$LATEST'));
    env.writeLog(endAndReportLines({
      requestId,
      durationMs: init.durationMs,
      memorySizeMb: this.spec.memorySize,
      maxMemoryUsedMb: Math.min(this.spec.memorySize, 1),
      status: init.status === 'timeout' ? 'timeout' : 'error',
      errorType: init.status === 'timeout' ? undefined : errorType,
    }));
    const logs = earlierLogs + env.readLog(0);
    this.options.onLog?.(this.spec.functionName, logs);
    await this.discard(env);
    return {
      requestId,
      payload,
      contentType: 'application/json',
      functionError: 'Unhandled',
      errorType: errorTypeOf(payload) ?? errorType,
      logs,
      executedVersion: inv.executedVersion ?? '$LATEST',
      durationMs: init.durationMs,
      billedDurationMs: billedDurationMs(init.durationMs),
      maxMemoryUsedMb: 1,
      coldStart: true,
      timedOut: init.status === 'timeout',
      reset: true,
      outOfMemory: false,
      logStreamName: env.logStreamName,
    };
  }

  private prepare(): Promise<PreparedCode> {
    if (!this.prepared) {
      this.prepared = prepareCode(this.spec, path.join(this.options.stateDir, 'code'));
      this.prepared.catch(() => (this.prepared = undefined)); // a later invoke retries (the user may fix the path)
    }
    return this.prepared;
  }

  /** The most recently used idle environment of `version`, if any. */
  private takeIdle(version: string): ExecutionEnvironment | undefined {
    for (let i = this.idle.length - 1; i >= 0; i--) {
      if (this.idle[i].functionVersion === version) return this.idle.splice(i, 1)[0];
    }
    return undefined;
  }

  private newEnvironment(code: PreparedCode, functionVersion: string): ExecutionEnvironment {
    // /tmp outlives a reset, as in Lambda: a replacement environment gets the one its predecessor left.
    const tmpDir = this.leftoverTmpDirs.pop() ?? fs.mkdtempSync(path.join(this.options.stateDir, 'tmp-'));
    const options: EnvironmentOptions = {
      spec: this.spec,
      taskRoot: code.taskRoot,
      optDir: code.optDir,
      tmpDir,
      logDir: path.join(this.options.stateDir, 'logs'),
      functionVersion,
      interpreters: this.options.interpreters,
      environmentOverrides: this.options.environmentOverrides,
      credentials: this.options.credentials,
      isolate: this.options.isolate,
    };
    const env = new ExecutionEnvironment(options);
    tmpDirs.set(env, tmpDir);
    this.environments.add(env);
    return env;
  }

  private async discard(env: ExecutionEnvironment): Promise<void> {
    await env.shutdown();
    this.environments.delete(env);
    const tmp = tmpDirs.get(env);
    if (tmp) this.leftoverTmpDirs.push(tmp);
  }

  private release(env: ExecutionEnvironment): void {
    if (this.closed || !env.isReusable) {
      void this.discard(env);
      return;
    }
    this.idle.push(env);
    const timer = setTimeout(() => {
      const at = this.idle.indexOf(env);
      if (at >= 0) this.idle.splice(at, 1);
      this.idleTimers.delete(env);
      void this.discard(env);
    }, this.options.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(env, timer);
  }

  private clearIdleTimer(env: ExecutionEnvironment): void {
    const timer = this.idleTimers.get(env);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(env);
  }

  private async acquireSlot(rejectWhenBusy: boolean): Promise<void> {
    const limit = this.concurrencyLimit;
    if (this.active < limit) {
      this.active++;
      return;
    }
    if (rejectWhenBusy || limit === 0) {
      throw new TooManyRequestsError(this.spec.functionName, limit, this.spec.reservedConcurrency !== undefined);
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
  }

  private releaseSlot(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

const tmpDirs = new WeakMap<ExecutionEnvironment, string>();


// X-Ray ids need 20 random bytes an invoke; drawing them from a pool refilled 4 KB at a time keeps the
// (comparatively slow) call into the CSPRNG off the hot path.
const TRACE_POOL_BYTES = 4096;
let tracePool = crypto.randomBytes(TRACE_POOL_BYTES);
let tracePoolAt = 0;

function traceHeader(): string {
  if (tracePoolAt + 20 > TRACE_POOL_BYTES) {
    tracePool = crypto.randomBytes(TRACE_POOL_BYTES);
    tracePoolAt = 0;
  }
  const root = tracePool.toString('hex', tracePoolAt, tracePoolAt + 12);
  const parent = tracePool.toString('hex', tracePoolAt + 12, tracePoolAt + 20);
  tracePoolAt += 20;
  const now = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${now}-${root};Parent=${parent};Sampled=0`;
}
