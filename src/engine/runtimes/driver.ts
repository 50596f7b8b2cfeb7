// What a runtime driver is: everything the engine needs to know about one runtime family (python, nodejs, ruby,
// provided …) in one object — how to find its interpreter, how to launch its bootstrap, which environment
// variables it adds and what its inline code file is called. The registry (index.ts) lists the drivers.
import { EnvironmentPaths } from './paths';
import { RuntimeFamily } from '../../model/platform';

export type { RuntimeFamily } from '../../model/platform';

/** A resolved host interpreter. */
export interface HostInterpreter {
  /** Real path of the executable (never a shim). */
  readonly executable: string;
  /** Its version, e.g. `3.11` or `20`. */
  readonly version: string;
}

/** Options that change how interpreters are found. */
export interface InterpreterOverrides {
  /** Absolute path (or command name) of the Python interpreter to use for every python runtime. */
  readonly python?: string;
  /** Absolute path (or command name) of the Node.js executable to use for every nodejs runtime. */
  readonly node?: string;
  /** Absolute path (or command name) of the Ruby interpreter to use for every ruby runtime (else LAMBDA_TWIN_RUBY). */
  readonly ruby?: string;
}

/** What a driver is given to plan a launch. */
export interface LaunchInputs {
  readonly runtime: string;
  readonly memorySizeMb: number;
  /** The paths as the runtime sees them (Lambda's own paths when isolated). */
  readonly paths: EnvironmentPaths;
  /** The host folders behind `paths.taskRoot` and `paths.optDir` (to look for files before launching). */
  readonly hostTaskRoot: string;
  readonly hostOptDir: string;
  /** The interpreter found for the runtime (interpreted families only). */
  readonly interpreter?: HostInterpreter;
}

/** The command that starts the runtime, or the bootstraps that were looked for and not found. */
export type LaunchCommand = { readonly command: string; readonly args: string[] } | { readonly missing: string[] };

/** What a driver is given to add its environment variables. */
export interface DriverEnvironmentInputs {
  readonly runtime: string;
  readonly paths: EnvironmentPaths;
  /** The host interpreter's version, when one was resolved. */
  readonly hostVersion?: string;
}

export interface RuntimeDriver {
  /** The family the driver runs (its bootstrap folder under `runtimes/` is named for it). */
  readonly family: RuntimeFamily;
  /** Further families it runs the same way (`go1.x` runs as a custom runtime). */
  readonly alsoRuns?: readonly RuntimeFamily[];
  /** The file inline (`ZipFile`) code is written to (from the platform facts); none when the family has none. */
  readonly inlineFileName?: string;
  /** Whether the family runs on a host interpreter (false for custom runtimes, which bring their own bootstrap). */
  readonly interpreted: boolean;
  /** The option a user sets to pick the interpreter, named in version-mismatch errors. */
  readonly interpreterSetting?: string;
  /** Variables of `environment()` that `--env-vars` overrides cannot change either. */
  readonly pinnedVariables?: readonly string[];
  /** The host's interpreter for `runtime` (interpreted families only); throws with what to install when none. */
  findInterpreter?(runtime: string, overrides: InterpreterOverrides): HostInterpreter;
  /**
   * The language version of an identifier the platform catalog does not know yet (`python3.99` → `3.99`);
   * known identifiers take the catalog's version.
   */
  versionOf?(runtime: string): string | undefined;
  /** The command that starts the runtime's bootstrap. */
  launch(inputs: LaunchInputs): LaunchCommand;
  /** The family's own platform variables (search paths), set over the function's variables. */
  environment(inputs: DriverEnvironmentInputs): Record<string, string>;
}
