// What the one-shot trigger verbs (send-message, put-object, publish, put-events) share: the source flags, a twin
// whose triggers run on a virtual clock, running the trigger, settling, and printing which functions ran.
import type { Command } from 'commander';
import { isolateOptions, loadOptions, SourceOptions, twinFrom } from './source-options';
import { UsageError } from './usage-error';
import type { LocalTwin } from '../local-twin';
import type { TwinTriggerDelivery } from '../twin-triggers';

export interface TriggerVerbOptions extends SourceOptions {
  readonly logs: boolean;
  readonly quiet?: boolean;
}

/** Adds the flags every trigger verb takes. */
export function withSourceFlags(command: Command): Command {
  return isolateOptions(command)
    .option('--app <dir>', 'cloud assembly directory (cdk.out)', 'cdk.out')
    .option('-t, --template <file>', 'a SAM or CloudFormation template (YAML or JSON) instead of --app')
    .option('--env-vars <file>', 'environment variables in SAM CLI\'s --env-vars JSON format')
    .option('--parameter-overrides <pairs...>', 'template parameters as Key=Value')
    .option('--no-logs', 'do not print the functions\' logs on stderr')
    .option('--quiet', 'no warnings about runtime versions');
}

/** One delivery as the CLI prints it. */
export function formatDelivery(d: TwinTriggerDelivery): string {
  return `${d.source} → ${d.functionName}: ${d.outcome}${d.records !== 1 ? ` (${d.records} records)` : ''} — ${d.detail}`;
}

/**
 * Runs `trigger` on a fresh twin, waits until everything it set off has finished, prints what it did and every
 * delivery; returns the exit code (1 when a function failed, 0 otherwise).
 */
export async function runTriggerVerb(opts: TriggerVerbOptions, trigger: (twin: LocalTwin) => string): Promise<number> {
  const twin = twinFrom(opts, { ...loadOptions(opts), printLogs: opts.logs, quiet: opts.quiet });
  try {
    const said = trigger(twin);
    await twin.settle();
    const deliveries = twin.triggerDeliveries();
    const lines = [said, ...deliveries.map(formatDelivery)];
    if (deliveries.length === 0) lines.push('No function was triggered.');
    process.stdout.write(lines.join('\n') + '\n');
    return deliveries.some((d) => d.outcome === 'error') ? 1 : 0;
  } finally {
    await twin.shutdown();
  }
}

/** `k=v` pairs into an object. */
export function pairs(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const at = v.indexOf('=');
    if (at <= 0) throw new UsageError(`${flag} expects Name=Value, got '${v}'`);
    out[v.slice(0, at)] = v.slice(at + 1);
  }
  return out;
}
