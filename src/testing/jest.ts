// The jest side of the testing kit: `useLocalTwin` gives a test file (or describe block) one LocalTwin, created
// before its tests and shut down after them, and importing this module registers the lambda-twin matchers.
// Not part of the jsii API (jsii cannot express jest hooks): import it as `lambda-twin/lib/testing/jest`.
import { Stack } from 'aws-cdk-lib';
import { installMatchers } from './matchers';
import { TwinFunction } from './twin-function';
import { FunctionSummary, InvokeOptions, InvokeResult, LocalTwin, LocalTwinOptions } from '../local-twin';

export { lambdaTwinMatchers, installMatchers } from './matchers';
export type { InvokeFromConditions } from './matchers';
export { TwinFunction } from './twin-function';

/** The twin of one test file or describe block; usable inside its tests and hooks. */
export interface TwinKit {
  /** The LocalTwin itself (created on first use, normally in `beforeAll`). */
  readonly twin: LocalTwin;
  /** The stack the twin runs (built on first use), e.g. for `Snapshot.ofStack(kit.stack)`. */
  readonly stack: Stack;
  /** Invokes a function by construct id, construct path, logical id or name; see `LocalTwin.invoke`. */
  invoke(functionRef: string, options?: InvokeOptions): Promise<InvokeResult>;
  /** One function, for the policy and environment matchers and for invoking it repeatedly. */
  fn(functionRef: string): TwinFunction;
  /** The functions the twin can run. */
  functions(): FunctionSummary[];
}

/**
 * Gives the enclosing test file or `describe` block one LocalTwin of a stack: the stack is built and synthesized
 * once in `beforeAll`, warm environments are shared by the tests, and `afterAll` shuts every process down.
 *
 * @param stack a function building the stack (called once, in `beforeAll`), or the stack itself
 * @param options the twin's options (see `LocalTwinOptions`)
 *
 * @example
 * const kit = useLocalTwin(() => new MyStack(new App(), 'Test'));
 * it('greets', async () => expect(await kit.invoke('Hello', { event: { name: 'Ana' } })).toSucceed());
 */
export function useLocalTwin(stack: Stack | (() => Stack), options: LocalTwinOptions = {}): TwinKit {
  const hooks = globalThis as any;
  if (typeof hooks.beforeAll !== 'function' || typeof hooks.afterAll !== 'function') {
    throw new Error('useLocalTwin registers jest hooks: call it at the top of a test file or inside describe(), not inside a test');
  }
  let twin: LocalTwin | undefined;
  let builtStack: Stack | undefined;
  let closed = false;
  let creationError: unknown;

  const resolveTwin = (): LocalTwin => {
    if (closed) {
      throw new Error('The twin of this test file was shut down after its tests (afterAll); use it inside tests and hooks');
    }
    if (creationError !== undefined) throw creationError;
    if (!twin) {
      try {
        const built = typeof stack === 'function' ? stack() : stack;
        if (!(built instanceof Stack)) {
          throw new TypeError(`useLocalTwin needs a CDK Stack (or a function returning one), got ${built === null ? 'null' : typeof built}`);
        }
        twin = LocalTwin.fromStack(built, options);
        builtStack = built;
      } catch (err) {
        creationError = err;
        throw err;
      }
    }
    return twin;
  };

  hooks.beforeAll(() => {
    resolveTwin();
  });
  hooks.afterAll(async () => {
    closed = true;
    await twin?.shutdown();
    twin = undefined;
  });

  return {
    get twin() {
      return resolveTwin();
    },
    get stack() {
      resolveTwin();
      return builtStack!;
    },
    invoke: (functionRef, invokeOptions) => resolveTwin().invoke(functionRef, invokeOptions),
    fn: (functionRef) => new TwinFunction(resolveTwin, functionRef),
    functions: () => resolveTwin().functions(),
  };
}

installMatchers();
