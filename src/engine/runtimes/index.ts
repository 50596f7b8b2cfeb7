// The registry of runtime drivers: the driver that runs a runtime identifier's family (the family itself is a
// platform fact, from src/model/platform.ts). Adding a family is one driver file next to this one, listed here,
// plus its bootstrap under `runtimes/`.
import * as path from 'path';
import { RuntimeDriver, RuntimeFamily } from './driver';
import { javaDriver } from './java';
import { nodejsDriver } from './nodejs';
import { providedDriver } from './provided';
import { pythonDriver } from './python';
import { rubyDriver } from './ruby';
import { runtimeFamily as platformFamily, runtimeInfo } from '../../model/platform';

export * from './driver';

/** The folder holding our bootstraps (`runtimes/python/bootstrap.py`, `runtimes/nodejs/bootstrap.js`). */
export const RUNTIMES_DIR = path.resolve(__dirname, '..', '..', '..', 'runtimes');

/** The drivers, in the order error messages list what lambda-twin runs. */
const DRIVERS: readonly RuntimeDriver[] = [pythonDriver, nodejsDriver, rubyDriver, javaDriver, providedDriver];

const BY_FAMILY: ReadonlyMap<RuntimeFamily, RuntimeDriver> = new Map(
  DRIVERS.flatMap((d) => [d.family, ...(d.alsoRuns ?? [])].map((family) => [family, d] as const)),
);

/** The runnable families as an error message lists them: `python, nodejs, ruby and provided`. */
export function runnableFamiliesText(): string {
  const names = DRIVERS.map((d) => d.family);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
}

/** The family of a runtime identifier (the platform's answer), `unknown` for none or one Lambda does not have. */
export function runtimeFamily(runtime: string | undefined): RuntimeFamily | 'unknown' {
  return platformFamily(runtime) ?? 'unknown';
}

/** The driver of a runtime's family, or undefined when lambda-twin cannot run it. */
export function driverFor(runtime: string | undefined): RuntimeDriver | undefined {
  const family = platformFamily(runtime);
  return family ? BY_FAMILY.get(family) : undefined;
}

/** The language version a runtime identifier asks for of a host interpreter (`python3.12` → `3.12`). */
export function interpreterVersionOf(runtime: string): string | undefined {
  const driver = driverFor(runtime);
  if (!driver?.interpreted) return undefined;
  return runtimeInfo(runtime)?.version ?? driver.versionOf?.(runtime);
}

/** The folder of a family's bootstrap under `runtimes/`. */
export function bootstrapDir(family: RuntimeFamily): string {
  return path.join(RUNTIMES_DIR, family);
}
