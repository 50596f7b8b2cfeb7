// The part of an invoke result that is behaviour (payload, error, the function's own log lines), masked and with
// host paths written as Lambda's, so a snapshot of it is the same on every machine and every run.
import { maskVolatile } from './mask-volatile';

/** Platform lines the twin writes around an invoke; their content is timing, not behaviour. */
const PLATFORM_LINE = /^(INIT_START|START|END|REPORT|INIT_REPORT|RESTORE_REPORT) /;

/** `<state dir>/…/code/task/` and `…/code/opt/`: where the twin copied the code and layers. */
const TASK_ROOT = /(?:file:\/\/)?(?:[A-Za-z]:)?[^\s"'()`]*[\\/]code[\\/]task[\\/]/g;
const OPT_DIR = /(?:file:\/\/)?(?:[A-Za-z]:)?[^\s"'()`]*[\\/]code[\\/]opt[\\/]/g;

/** A stack frame line (`    at fn (file:1:2)` or `  File "…", line 3, in fn`). */
const FRAME = /^\s*(at |File ")/;

/** The fields of an `InvokeResult` a snapshot needs. */
export interface InvokeOutcome {
  readonly payload: any;
  readonly functionError?: string;
  readonly errorType?: string;
  readonly executedVersion: string;
  readonly logs: string;
  readonly timedOut: boolean;
  readonly reset: boolean;
}

/**
 * What an invoke did, ready for a snapshot: the payload, the error, the executed version, whether it timed out
 * or reset the environment, and the function's own log lines. START/END/REPORT lines are left out, volatile
 * values are masked and code paths read `/var/task/…`; stack frames outside the function's code (the runtime
 * client, Node.js internals) are dropped, so the snapshot does not change with the host's Node.js or Python.
 */
export function invokeSnapshot(result: InvokeOutcome): any {
  const view: Record<string, unknown> = { payload: normalize(result.payload) };
  if (result.functionError !== undefined) view.functionError = result.functionError;
  if (result.errorType !== undefined) view.errorType = result.errorType;
  view.executedVersion = result.executedVersion;
  view.timedOut = result.timedOut;
  view.reset = result.reset;
  view.logs = functionLogLines(result.logs);
  return maskVolatile(view);
}

/** The function's own log lines (platform lines left out), each normalized. */
export function functionLogLines(logs: string): string[] {
  return logs.split('\n')
    .filter((line) => line !== '' && !PLATFORM_LINE.test(line))
    .map(normalizeLogLine)
    .filter((line) => !isForeignFrame(line));
}

function normalizeLogLine(line: string): string {
  // The Node.js client logs a failed invoke as `<time>\t<id>\tERROR\tInvoke Error {json}`: trim the json's stack.
  const invokeError = /^(.*\tERROR\tInvoke Error\s+)(\{.*\})$/.exec(line);
  if (invokeError) {
    try {
      return invokeError[1] + JSON.stringify(normalize(JSON.parse(invokeError[2])));
    } catch {
      // not JSON after all: normalized as text below
    }
  }
  return hostPaths(line);
}

/** Host paths as Lambda's and stack traces trimmed to the function's frames, throughout a JSON value. */
function normalize(value: any): any {
  if (typeof value === 'string') return hostPaths(value);
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    return items.every((item) => typeof item === 'string') ? items.filter((item) => !isForeignFrame(item)) : items;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalize(item)]));
  }
  return value;
}

function hostPaths(text: string): string {
  return text.replace(TASK_ROOT, '/var/task/').replace(OPT_DIR, '/opt/');
}

/** A stack frame that is not in the function's code or layers. */
function isForeignFrame(text: string): boolean {
  return FRAME.test(text) && !text.includes('/var/task/') && !text.includes('/opt/');
}
