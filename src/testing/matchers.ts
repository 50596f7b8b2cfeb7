// Jest matchers that read as behaviour of a Lambda function on the local twin: `toSucceed()`,
// `toFailWith('KeyError')`, `toHaveLogged(/text/)`, `toHaveTimedOut()`, `toHaveReset()`,
// `toHaveEnvironmentVariable('TABLE')`, `toAllowInvokeFrom('s3.amazonaws.com', …)`. Registered by importing
// `lambda-twin/lib/testing/jest`; failure messages show the payload and the tail of the invoke's log.
import { functionLogLines } from './invoke-snapshot';
import { TwinFunction } from './twin-function';
import type { FunctionSummary, InvokeResult } from '../local-twin';
import type { PermissionSpec } from '../model/function-spec';

/** The conditions of `toAllowInvokeFrom`: what the calling service says about itself. */
export interface InvokeFromConditions {
  /** The resource the service acts for, e.g. `arn:aws:s3:::uploads` (`aws:SourceArn`). */
  readonly sourceArn?: string;
  /** The account owning that resource (`aws:SourceAccount`). */
  readonly sourceAccount?: string;
  /** The caller's organization (`aws:PrincipalOrgID`). */
  readonly principalOrgId?: string;
  /** A version or alias; a permission on the unqualified function does not cover it. */
  readonly qualifier?: string;
  /** @default 'lambda:InvokeFunction' */
  readonly action?: string;
}

/* eslint-disable @typescript-eslint/no-namespace */
declare global {
  namespace jest {
    // The type parameters must be those of @types/jest's declaration for the interfaces to merge.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Matchers<R, T = {}> {
      /** The invoke returned without a function error. */
      toSucceed(): R;
      /** The invoke returned without a function error, and its payload equals `expected` (recursively). */
      toSucceedWith(expected: unknown): R;
      /** The invoke failed (function error); with `errorType`, of that type; with `message`, with that message. */
      toFailWith(errorType?: string | RegExp, message?: string | RegExp): R;
      /** The invoke's log (function output and platform lines) contains `text` or matches the pattern. */
      toHaveLogged(text: string | RegExp): R;
      /** The invoke ran past the function's timeout (`Sandbox.Timedout`). */
      toHaveTimedOut(): R;
      /** The environment was thrown away after the invoke (timeout, crash, out of memory, init failure). */
      toHaveReset(): R;
      /** The function's process gets the environment variable (with `value`, that value). Receives `kit.fn(…)`. */
      toHaveEnvironmentVariable(name: string, value?: string | RegExp): R;
      /** The function's resource-based policy lets `principal` invoke it under `conditions`. Receives `kit.fn(…)`. */
      toAllowInvokeFrom(principal: string, conditions?: InvokeFromConditions): R;
    }
  }
}
/* eslint-enable @typescript-eslint/no-namespace */

/** What jest hands a matcher as `this`; only what these matchers use. */
interface MatcherContext {
  readonly isNot: boolean;
  readonly utils: {
    printReceived(value: unknown): string;
    printExpected(value: unknown): string;
    matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean }): string;
  };
  equals(a: unknown, b: unknown): boolean;
}

interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

/** How many log lines a failure message shows. */
const LOG_TAIL_LINES = 15;
/** How much of a payload a failure message shows. */
const PAYLOAD_CHARS = 1500;

/** The matchers, for `expect.extend(lambdaTwinMatchers)`. */
export const lambdaTwinMatchers = {
  toSucceed(this: MatcherContext, received: unknown): MatcherResult {
    const result = invokeResultOf(received, 'toSucceed');
    const pass = result.functionError === undefined;
    return {
      pass,
      message: () => pass
        ? `${hint(this, 'toSucceed', '')}\n\nExpected the invoke to fail, but it succeeded.\n\n${describeResult(result)}`
        : `${hint(this, 'toSucceed', '')}\n\nExpected the invoke to succeed, but it failed with ${errorOf(result)}.\n\n${describeResult(result)}`,
    };
  },

  toSucceedWith(this: MatcherContext, received: unknown, expected: unknown): MatcherResult {
    const result = invokeResultOf(received, 'toSucceedWith');
    const succeeded = result.functionError === undefined;
    const pass = succeeded && this.equals(result.payload, expected);
    return {
      pass,
      message: () => {
        const head = hint(this, 'toSucceedWith');
        if (pass) return `${head}\n\nExpected the invoke not to succeed with ${this.utils.printExpected(expected)}, but it did.`;
        const why = succeeded
          ? `it succeeded with ${this.utils.printReceived(result.payload)}`
          : `it failed with ${errorOf(result)}`;
        return `${head}\n\nExpected the invoke to succeed with ${this.utils.printExpected(expected)}, but ${why}.\n\n${describeResult(result)}`;
      },
    };
  },

  toFailWith(this: MatcherContext, received: unknown, errorType?: string | RegExp, message?: string | RegExp): MatcherResult {
    const result = invokeResultOf(received, 'toFailWith');
    const failed = result.functionError !== undefined;
    const typeMatches = errorType === undefined || textMatches(result.errorType ?? '', errorType, true);
    const errorMessage = typeof result.payload?.errorMessage === 'string' ? result.payload.errorMessage : '';
    const messageMatches = message === undefined || textMatches(errorMessage, message, false);
    const pass = failed && typeMatches && messageMatches;
    const wanted = [errorType !== undefined ? this.utils.printExpected(errorType) : 'an error', message !== undefined ? `with message ${this.utils.printExpected(message)}` : '']
      .filter(Boolean).join(' ');
    return {
      pass,
      message: () => {
        const head = hint(this, 'toFailWith', 'errorType', message !== undefined ? 'message' : undefined);
        if (pass) return `${head}\n\nExpected the invoke not to fail with ${wanted}, but it failed with ${errorOf(result)}.\n\n${describeResult(result)}`;
        const actual = failed ? `it failed with ${errorOf(result)}` : 'it succeeded';
        return `${head}\n\nExpected the invoke to fail with ${wanted}, but ${actual}.\n\n${describeResult(result)}`;
      },
    };
  },

  toHaveLogged(this: MatcherContext, received: unknown, text: string | RegExp): MatcherResult {
    const result = invokeResultOf(received, 'toHaveLogged');
    if (typeof text !== 'string' && !(text instanceof RegExp)) {
      throw new TypeError(`toHaveLogged expects a string or a RegExp, got ${typeof text}`);
    }
    const pass = textMatches(result.logs, text, false);
    return {
      pass,
      message: () => `${hint(this, 'toHaveLogged', 'text')}\n\nExpected the invoke's log ${pass ? 'not ' : ''}to contain ${this.utils.printExpected(text)}.\n\n${logTail(result.logs)}`,
    };
  },

  toHaveTimedOut(this: MatcherContext, received: unknown): MatcherResult {
    const result = invokeResultOf(received, 'toHaveTimedOut');
    const pass = result.timedOut;
    return {
      pass,
      message: () => pass
        ? `${hint(this, 'toHaveTimedOut', '')}\n\nExpected the invoke to finish in time, but it timed out after ${Math.round(result.durationMs)} ms.\n\n${describeResult(result)}`
        : `${hint(this, 'toHaveTimedOut', '')}\n\nExpected the invoke to time out, but it finished in ${Math.round(result.durationMs)} ms${result.functionError ? ` with ${errorOf(result)}` : ''}.\n\n${describeResult(result)}`,
    };
  },

  toHaveReset(this: MatcherContext, received: unknown): MatcherResult {
    const result = invokeResultOf(received, 'toHaveReset');
    const pass = result.reset;
    return {
      pass,
      message: () => `${hint(this, 'toHaveReset', '')}\n\nExpected the execution environment ${pass ? 'to be kept warm, but it was thrown away' : 'to be thrown away, but it was kept warm'} after the invoke${result.functionError ? ` (which failed with ${errorOf(result)})` : ''}.\n\n${describeResult(result)}`,
    };
  },

  toHaveEnvironmentVariable(this: MatcherContext, received: unknown, name: string, value?: string | RegExp): MatcherResult {
    const summary = summaryOf(received, 'toHaveEnvironmentVariable');
    const actual = summary.environment[name];
    const pass = actual !== undefined && (value === undefined || textMatches(actual, value, true));
    const wanted = value === undefined ? name : `${name}=${value}`;
    return {
      pass,
      message: () => {
        const head = hint(this, 'toHaveEnvironmentVariable', 'name', value !== undefined ? 'value' : undefined);
        const seen = actual === undefined ? 'it is not set' : `it is ${this.utils.printReceived(actual)}`;
        const names = Object.keys(summary.environment).sort().join(', ') || '(none)';
        return `${head}\n\nExpected function ${summary.functionName} ${pass ? 'not ' : ''}to get ${this.utils.printExpected(wanted)}; ${seen}.\nIts variables: ${names}`;
      },
    };
  },

  toAllowInvokeFrom(this: MatcherContext, received: unknown, principal: string, conditions: InvokeFromConditions = {}): MatcherResult {
    if (!(received instanceof TwinFunction)) {
      throw new TypeError(`toAllowInvokeFrom expects a function of the twin, as in expect(kit.fn('Hello')), got ${describeValue(received)}`);
    }
    if (typeof principal !== 'string' || principal === '') {
      throw new TypeError('toAllowInvokeFrom expects a principal: a service principal (s3.amazonaws.com), an account id, an ARN or *');
    }
    const { qualifier, action, ...where } = conditions;
    const decision = received.checkInvoke({ principal, ...where }, qualifier, action);
    const who = [principal, where.sourceArn && `from ${where.sourceArn}`, where.sourceAccount && `of account ${where.sourceAccount}`,
      qualifier && `on qualifier ${qualifier}`].filter(Boolean).join(' ');
    return {
      pass: decision.allowed,
      message: () => {
        const head = hint(this, 'toAllowInvokeFrom', 'principal', 'conditions');
        if (decision.allowed) return `${head}\n\nExpected ${received} not to be invokable by ${who}, but ${decision.reason}.`;
        const statements = received.permissions().map((p) => `  ${describePermission(p)}`).join('\n') || '  (none: the function has no resource-based policy)';
        return `${head}\n\nExpected ${received} to be invokable by ${who}, but ${decision.reason}.\nIts policy:\n${statements}`;
      },
    };
  },
};

/** Registers the matchers with the `expect` jest put in the global scope (no-op outside jest). */
export function installMatchers(): void {
  const expectGlobal = (globalThis as any).expect;
  if (typeof expectGlobal?.extend === 'function') expectGlobal.extend(lambdaTwinMatchers);
}

/** A one-line description of a permission statement, for messages. */
function describePermission(p: PermissionSpec): string {
  const parts = [`${p.logicalId}: ${p.principal} may ${p.action}`];
  if (p.qualifier) parts.push(`on qualifier ${p.qualifier}`);
  if (p.sourceArn) parts.push(`if source ARN is like ${p.sourceArn}`);
  if (p.sourceAccount) parts.push(`if source account is ${p.sourceAccount}`);
  if (p.principalOrgId) parts.push(`if organization is ${p.principalOrgId}`);
  return parts.join(' ');
}

function invokeResultOf(received: unknown, matcher: string): InvokeResult {
  if (received instanceof Promise) {
    throw new TypeError(`${matcher} expects an invoke result, got a Promise: write expect(await kit.invoke(…)).${matcher}(…)`);
  }
  const r = received as InvokeResult;
  if (r === null || typeof r !== 'object' || typeof r.logs !== 'string' || typeof r.timedOut !== 'boolean') {
    throw new TypeError(`${matcher} expects the result of an invoke (LocalTwin.invoke), got ${describeValue(received)}`);
  }
  return r;
}

function summaryOf(received: unknown, matcher: string): FunctionSummary {
  if (received instanceof TwinFunction) return received.summary();
  const s = received as FunctionSummary;
  if (s !== null && typeof s === 'object' && typeof s.functionName === 'string' && typeof s.environment === 'object') return s;
  throw new TypeError(`${matcher} expects a function of the twin, as in expect(kit.fn('Hello')), or a FunctionSummary; got ${describeValue(received)}`);
}

function textMatches(actual: string, expected: string | RegExp, whole: boolean): boolean {
  if (expected instanceof RegExp) return expected.test(actual);
  return whole ? actual === expected : actual.includes(expected);
}

function hint(ctx: MatcherContext, name: string, expected?: string, extra?: string): string {
  const args = [expected, extra].filter((a) => a !== undefined).join(', ');
  return ctx.utils.matcherHint(name, 'received', args, { isNot: ctx.isNot });
}

function errorOf(result: InvokeResult): string {
  const message = typeof result.payload?.errorMessage === 'string' ? `: ${result.payload.errorMessage}` : '';
  return `${result.errorType ?? result.functionError}${message}`;
}

/** The payload and the end of the log, to see at once what the function did. */
function describeResult(result: InvokeResult): string {
  let payload = result.rawPayload;
  if (payload.length > PAYLOAD_CHARS) payload = `${payload.slice(0, PAYLOAD_CHARS)}… (${payload.length} characters)`;
  const flags = [result.coldStart ? 'cold start' : 'warm', result.timedOut && 'timed out', result.reset && 'environment reset'].filter(Boolean).join(', ');
  return `Payload: ${payload === '' ? '(empty)' : payload}\nInvoke: ${flags}, ${Math.round(result.durationMs)} ms, request ${result.requestId}\n${logTail(result.logs)}`;
}

function logTail(logs: string): string {
  const own = functionLogLines(logs);
  const lines = logs.split('\n').filter((l) => l !== '');
  const tail = lines.slice(-LOG_TAIL_LINES);
  const skipped = lines.length - tail.length;
  const header = own.length === 0 ? 'Log (the function wrote nothing):' : 'Log:';
  return `${header}${skipped > 0 ? ` (last ${tail.length} of ${lines.length} lines)` : ''}\n${tail.map((l) => `  ${l}`).join('\n')}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${JSON.stringify(value)}`;
  const name = (value as object).constructor?.name ?? 'object';
  return `${name} with keys ${Object.keys(value as object).slice(0, 8).join(', ') || '(none)'}`;
}
