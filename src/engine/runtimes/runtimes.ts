// The runtime functions the rest of the code calls (host interpreter, requested version, family), answered by
// the runtime drivers' registry (index.ts); kept so callers need not know about drivers.
import { HostInterpreter, InterpreterOverrides } from './driver';
import { driverFor, interpreterVersionOf, runtimeFamily } from './index';

export { RUNTIMES_DIR, runtimeFamily } from './index';
export type { RuntimeFamily, HostInterpreter, InterpreterOverrides } from './driver';

const resolved = new Map<string, HostInterpreter>();

/**
 * Finds the host's interpreter for a runtime once per process: the real executable behind any shim
 * (pyenv shims cost ~90 ms a start), and its version.
 */
export function hostInterpreter(runtime: string, overrides: InterpreterOverrides = {}): HostInterpreter {
  const key = `${runtimeFamily(runtime)}:${runtime}:${overrides.python ?? ''}:${overrides.node ?? ''}:${overrides.ruby ?? ''}`;
  const cached = resolved.get(key);
  if (cached) return cached;
  const driver = driverFor(runtime);
  if (!driver?.findInterpreter) throw new Error(`lambda-twin has no host interpreter for runtime '${runtime}'`);
  const found = driver.findInterpreter(runtime, overrides);
  resolved.set(key, found);
  return found;
}

/** The version a runtime identifier asks for (`python3.12` → `3.12`, `nodejs20.x` → `20`, `ruby3.3` → `3.3`). */
export function requestedVersion(runtime: string): string | undefined {
  return interpreterVersionOf(runtime);
}
