// What an execution environment runs, with which paths: the runtime driver's command over the host folders, or
// wrapped to run inside its own mount and PID namespaces that show Lambda's own paths (isolation.ts says when and how).
import * as fs from 'fs';
import * as path from 'path';
import { isolatedLaunch, shouldIsolate, ISOLATED_PATHS, plainLaunch } from './isolation';
import { FunctionSpec } from '../../model/function-spec';
import { runtimeLibraryPaths } from '../runtime-libs/runtime-libraries';
import { bootstrapDir, driverFor, HostInterpreter } from '../runtimes';
import { EnvironmentPaths } from '../runtimes/paths';

export interface LaunchPlanInputs {
  readonly spec: FunctionSpec;
  readonly taskRoot: string;
  readonly optDir: string;
  readonly tmpDir: string;
  /** true: isolate (warn once when the host cannot); undefined: isolate when the host can; false: plain. */
  readonly isolate?: boolean;
  /** The host interpreter (interpreted families). */
  readonly interpreter?: HostInterpreter;
}

export type LaunchPlan =
  | {
    readonly command: string;
    readonly args: string[];
    readonly paths: EnvironmentPaths;
    readonly isolated: boolean;
    /** Whether the command is the subreaper launcher (reaper.ts), which the supervisor ends the environment through. */
    readonly reaper: boolean;
    /** The twin's own processes above the runtime in the group (LaunchCommand.launchers). */
    readonly launchers: number;
  }
  | { readonly missing: string[] };

export function launchPlan(inputs: LaunchPlanInputs): LaunchPlan {
  const { spec, interpreter } = inputs;
  const driver = driverFor(spec.runtime);
  if (!driver) throw new Error(`lambda-twin cannot run runtime '${spec.runtime}' locally yet (function ${spec.functionName})`);
  const hostRuntimeDir = bootstrapDir(driver.family);
  const isolated = shouldIsolate(inputs.isolate) && !hiddenByPrivateTmp(spec, interpreter);
  // An interpreter installed under /opt would be hidden by the layers bound there.
  const bindOpt = isolated && !(interpreter?.executable.startsWith('/opt/'));
  const paths: EnvironmentPaths = {
    taskRoot: isolated ? ISOLATED_PATHS.taskRoot : inputs.taskRoot,
    optDir: bindOpt ? ISOLATED_PATHS.optDir : inputs.optDir,
    runtimeDir: isolated && fs.existsSync(hostRuntimeDir) ? ISOLATED_PATHS.runtimeDir : hostRuntimeDir,
    langBinDir: interpreter ? path.dirname(interpreter.executable) : undefined,
    tmpDir: isolated ? ISOLATED_PATHS.tmpDir : inputs.tmpDir,
  };
  const launch = driver.launch({
    runtime: spec.runtime!,
    memorySizeMb: spec.memorySize,
    paths,
    hostTaskRoot: inputs.taskRoot,
    hostOptDir: inputs.optDir,
    interpreter,
  });
  if ('missing' in launch) return launch;
  if (!isolated) return { ...plainLaunch(launch.command, launch.args), paths, isolated };
  const folders = {
    tmpDir: inputs.tmpDir,
    taskRoot: inputs.taskRoot,
    optDir: bindOpt ? inputs.optDir : '-',
    runtimeDir: fs.existsSync(hostRuntimeDir) ? hostRuntimeDir : '-',
  };
  return { ...isolatedLaunch(folders, launch.command, launch.args), paths, isolated };
}

const warnedHidden = new Set<string>();

/**
 * Whether the runtime needs a host path under the host's /tmp (an interpreter or virtualenv there, or the runtime
 * library cache), which an isolated environment's own /tmp would hide: such an environment runs as a plain process,
 * with one warning naming the path.
 */
function hiddenByPrivateTmp(spec: FunctionSpec, interpreter: HostInterpreter | undefined): boolean {
  const needed = [...(interpreter ? [interpreter.executable] : []), ...(spec.runtime ? runtimeLibraryPaths(spec.runtime) : [])];
  const hidden = needed.find((p) => path.resolve(p).startsWith(`${ISOLATED_PATHS.tmpDir}/`));
  if (!hidden) return false;
  if (!warnedHidden.has(hidden)) {
    warnedHidden.add(hidden);
    process.emitWarning(`lambda-twin: ${hidden} is under the host's /tmp, which an isolated environment covers with its own; ` +
      `function ${spec.functionName} runs as a plain process. Move it out of /tmp to isolate it, or set isolate: false to silence this.`);
  }
  return true;
}
