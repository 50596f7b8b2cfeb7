// The engine core behind each LocalTwin, for the other façades (the Invoke API server, the jest kit, the CLI):
// they run on the same core as the twin they were given, without reaching into the twin's members.
import type { TwinCore } from './engine/twin';

const cores = new WeakMap<object, TwinCore>();

/** Records the core a façade object runs on (called once, by the LocalTwin constructor). */
export function attachCore(facade: object, core: TwinCore): void {
  cores.set(facade, core);
}

/** The core a LocalTwin runs on. */
export function coreOf(facade: object): TwinCore {
  const core = cores.get(facade);
  if (!core) throw new Error('Not a LocalTwin: create one with LocalTwin.fromStack, fromAssembly or fromTemplate');
  return core;
}
