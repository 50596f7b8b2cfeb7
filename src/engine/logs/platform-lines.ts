// The platform's own log lines, tab-separated as Lambda writes them: INIT_START, START, END, REPORT, INIT_REPORT.

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
