// The registry of runtime drivers: which family a runtime identifier belongs to, and the driver that runs it.
// Adding a family is one driver file next to this one, listed here, plus its bootstrap under `runtimes/`.
import * as path from 'path';
import { RuntimeDriver, RuntimeFamily } from './driver';
import { javaDriver } from './java';
import { nodejsDriver } from './nodejs';
import { providedDriver } from './provided';
import { pythonDriver } from './python';
import { rubyDriver } from './ruby';

export * from './driver';

/** The folder holding our bootstraps (`runtimes/python/bootstrap.py`, `runtimes/nodejs/bootstrap.js`). */
export const RUNTIMES_DIR = path.resolve(__dirname, '..', '..', '..', 'runtimes');

const DRIVERS: ReadonlyMap<RuntimeFamily, RuntimeDriver> = new Map(
  [pythonDriver, nodejsDriver, rubyDriver, javaDriver, providedDriver].map((d) => [d.family, d]),
);

/** The families lambda-twin can run, in the order error messages list them. */
export const RUNNABLE_FAMILIES: readonly RuntimeFamily[] = [...DRIVERS.keys()];

/** The runnable families as an error message lists them: `python, nodejs, ruby and provided`. */
export function runnableFamiliesText(): string {
  const names = [...RUNNABLE_FAMILIES];
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
}

export function runtimeFamily(runtime: string | undefined): RuntimeFamily {
  if (!runtime) return 'unknown';
  if (runtime.startsWith('python')) return 'python';
  if (runtime.startsWith('nodejs')) return 'nodejs';
  if (runtime.startsWith('provided') || runtime === 'go1.x') return 'provided';
  if (runtime.startsWith('java')) return 'java';
  if (runtime.startsWith('ruby')) return 'ruby';
  if (runtime.startsWith('dotnet')) return 'dotnet';
  return 'unknown';
}

/** The driver of a runtime's family, or undefined when lambda-twin cannot run it. */
export function driverFor(runtime: string | undefined): RuntimeDriver | undefined {
  return DRIVERS.get(runtimeFamily(runtime));
}

/** The folder of a family's bootstrap under `runtimes/`. */
export function bootstrapDir(family: RuntimeFamily): string {
  return path.join(RUNTIMES_DIR, family);
}
