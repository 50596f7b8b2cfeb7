// Everything the platform itself writes, authored in this one module: its log lines, tab-separated as Lambda
// writes them (INIT_START, START, END, REPORT, INIT_REPORT, the timeout and exit lines), and the error bodies it
// answers for a function (`Sandbox.Timedout`, `Runtime.ExitError`, `Runtime.InvalidEntrypoint`).

export function initStartLine(runtime: string, region: string, hostVersion: string): string {
  const id = `${runtime.replace(/\.x$/, '')}.lambda-twin.v${hostVersion}`;
  return `INIT_START Runtime Version: ${id}\tRuntime Version ARN: arn:aws:lambda:${region}::runtime:lambda-twin-${runtime}`;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  /** `timeout` or `error` (with `errorType`) when the invoke did not finish normally. */
  readonly status?: string;
  readonly errorType?: string;
}

/** Billed duration: the invoke plus its init, rounded up to the millisecond (Lambda bills INIT since 2025). */
export function billedDurationMs(durationMs: number, initDurationMs?: number): number {
  return Math.max(1, Math.ceil(durationMs + (initDurationMs ?? 0)));
}

export function reportLine(f: ReportFields): string {
  let line = `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${billedDurationMs(f.durationMs, f.initDurationMs)} ms\tMemory Size: ${f.memorySizeMb} MB\t` +
    `Max Memory Used: ${f.maxMemoryUsedMb} MB`;
  if (f.initDurationMs !== undefined) line += `\tInit Duration: ${f.initDurationMs.toFixed(2)} ms`;
  if (f.status) line += `\tStatus: ${f.status}`;
  if (f.errorType) line += `\tError Type: ${f.errorType}`;
  return line;
}

export function initReportLine(durationMs: number, phase: 'init' | 'invoke', status: string, errorType?: string): string {
  let line = `INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${status}`;
  if (errorType) line += `\tError Type: ${errorType}`;
  return line;
}

export function timeoutLine(requestId: string, timeoutSeconds: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

export function exitErrorLines(requestId: string, exitReason: string): string {
  return `RequestId: ${requestId} Error: Runtime exited with error: ${exitReason}\nRuntime.ExitError`;
}

/** The last 4 KB of a log, as `X-Amz-Log-Result` carries it. */
export function tail4k(logs: string): string {
  const bytes = Buffer.from(logs, 'utf8');
  return bytes.length <= 4096 ? logs : bytes.subarray(bytes.length - 4096).toString('utf8');
}

/** A platform error body (what the caller of Invoke gets when the platform, not the function, ends an invoke). */
export interface PlatformError {
  readonly errorType: string;
  readonly body: Buffer;
}

function errorBody(errorType: string, errorMessage: string): PlatformError {
  return { errorType, body: Buffer.from(JSON.stringify({ errorType, errorMessage })) };
}

/** `Sandbox.Timedout`: the invoke (or the init inside it) ran past the function's timeout. */
export function timeoutError(requestId: string, timeoutSeconds: number): PlatformError {
  return errorBody('Sandbox.Timedout', `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`);
}

/** `Runtime.ExitError`: the runtime died without answering. */
export function exitError(requestId: string, exitReason: string): PlatformError {
  return errorBody('Runtime.ExitError', `RequestId: ${requestId} Error: Runtime exited with error: ${exitReason}`);
}

/** `Runtime.InvalidEntrypoint`: no bootstrap to run (with the paths looked at), or one that could not start. */
export function entrypointError(missing?: string[], reason?: string): PlatformError {
  return errorBody('Runtime.InvalidEntrypoint', missing ? `Couldn't find valid bootstrap(s): [${missing.join(' ')}]` : reason ?? 'invalid entrypoint');
}

/** The END line and the REPORT line after it, as one piece of the log stream. */
export function endAndReportLines(f: ReportFields): string {
  return endLine(f.requestId) + '\n' + reportLine(f);
}

/** Go's names for signals, as RAPID prints them in "Runtime exited with error: signal: …". */
const SIGNAL_NAMES: Record<string, string> = {
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

/** How RAPID words a runtime's exit: `exit status 1`, `signal: killed`, `signal: segmentation fault`. */
export function exitReasonOf(code: number | null, signal: string | null, killed = false): string {
  if (killed || signal === 'SIGKILL') return 'signal: killed';
  if (signal) return `signal: ${SIGNAL_NAMES[signal] ?? signal.toLowerCase()}`;
  return `exit status ${code ?? 0}`;
}
