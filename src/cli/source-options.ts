// The options every CLI command shares to say where functions come from (--app, --template) and how to
// configure them (--env-vars, --parameter-overrides), and the LocalTwin they produce.
import * as fs from 'fs';
import type { Command } from 'commander';
import { LocalTwin, LocalTwinOptions } from '../local-twin';

export interface SourceOptions {
  readonly app?: string;
  readonly template?: string;
  readonly envVars?: string;
  readonly parameterOverrides?: string[];
  /** From --isolate / --no-isolate; undefined: isolated when the host allows it. */
  readonly isolate?: boolean;
}

/** Adds --isolate and --no-isolate to a command that runs functions (neither given: isolated when the host allows it). */
export function isolateOptions(command: Command): Command {
  return command
    .option('--isolate', 'require isolated environments (own mount and PID namespaces); warn once and run plain processes when the host cannot (default: isolated when the host allows it)')
    .option('--no-isolate', 'run environments as plain processes, not isolated');
}

/** LocalTwin options from the shared CLI flags. Throws a clear error for unreadable or malformed files. */
export function loadOptions(opts: SourceOptions): LocalTwinOptions {
  let environmentVariables: any;
  if (opts.envVars) {
    let text: string;
    try {
      text = fs.readFileSync(opts.envVars, 'utf8');
    } catch (e) {
      throw new Error(`Cannot read --env-vars file ${opts.envVars}: ${(e as Error).message}`);
    }
    try {
      environmentVariables = JSON.parse(text);
    } catch (e) {
      throw new Error(`--env-vars file ${opts.envVars} is not valid JSON (${(e as Error).message}). ` +
        'Expected {"<function logical id or name>": {"KEY": "value"}, "Parameters": {"KEY": "value"}}');
    }
    if (!environmentVariables || typeof environmentVariables !== 'object' || Array.isArray(environmentVariables)) {
      throw new Error(`--env-vars file ${opts.envVars} must hold a JSON object keyed by function (or "Parameters")`);
    }
  }
  const parameterOverrides: Record<string, string> = {};
  for (const pair of opts.parameterOverrides ?? []) {
    for (const item of pair.split(/\s+/).filter(Boolean)) {
      const m = /^(?:ParameterKey=)?([^=,]+)(?:=|,ParameterValue=)(.*)$/.exec(item);
      if (!m) throw new Error(`--parameter-overrides expects Key=Value (or ParameterKey=K,ParameterValue=V), got '${item}'`);
      parameterOverrides[m[1]] = m[2];
    }
  }
  return { environmentVariables, parameterOverrides, isolate: opts.isolate };
}

/** The twin for --template when given, else for the --app cloud assembly. */
export function twinFrom(opts: SourceOptions, options: LocalTwinOptions): LocalTwin {
  if (opts.template) return LocalTwin.fromTemplate(opts.template, options);
  const app = opts.app ?? 'cdk.out';
  if (!fs.existsSync(app)) {
    throw new Error(`No cloud assembly at '${app}'. Run \`cdk synth\` first (it writes cdk.out), or pass --app <dir> or --template <file>.`);
  }
  return LocalTwin.fromAssembly(app, options);
}
