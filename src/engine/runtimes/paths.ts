// The host folders that stand in for Lambda's fixed paths inside one execution environment.

/** Host folders that stand in for Lambda's fixed paths. */
export interface EnvironmentPaths {
  /** Stand-in for `/var/task`. */
  readonly taskRoot: string;
  /** Stand-in for `/opt` (merged layers). */
  readonly optDir: string;
  /** Stand-in for `/var/runtime` (our bootstraps). */
  readonly runtimeDir: string;
  /** Stand-in for `/var/lang/bin` (the interpreter's folder). */
  readonly langBinDir?: string;
  /** This environment's own `/tmp`. */
  readonly tmpDir: string;
}
