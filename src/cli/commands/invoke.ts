// `lambda-twin invoke <function>`: invoke one function of a cloud assembly or template once, print its response
// on stdout and its logs on stderr; exit 1 when the function failed.
import * as fs from 'fs';
import type { Command } from 'commander';
import { buildForRun } from './build';
import { isolateOptions, loadOptions, SourceOptions, twinFrom } from '../source-options';
import { UsageError } from '../usage-error';

interface InvokeCommandOptions extends SourceOptions {
  readonly event?: string;
  readonly eventFile?: string;
  readonly qualifier?: string;
  readonly raw?: boolean;
  readonly logs: boolean;
  readonly stateDir?: string;
  readonly quiet?: boolean;
  readonly build?: boolean;
}

/** Adds `invoke` to the `lambda-twin` program. */
export function registerInvokeCommand(program: Command): void {
  isolateOptions(program.command('invoke'))
    .description('Invoke a function once and print its response (stdout) and logs (stderr). Exits 1 when the function fails.')
    .argument('<function>', 'construct id or path, logical id or function name, optionally :qualifier')
    .option('--app <dir>', 'cloud assembly directory (cdk.out)', 'cdk.out')
    .option('-t, --template <file>', 'a SAM or CloudFormation template (YAML or JSON) instead of --app')
    .option('--event <json>', 'the event as JSON text')
    .option('-e, --event-file <file>', 'read the event from a file (- for stdin)')
    .option('-q, --qualifier <qualifier>', 'version number or alias')
    .option('--env-vars <file>', 'environment variables in SAM CLI\'s --env-vars JSON format')
    .option('--parameter-overrides <pairs...>', 'template parameters as Key=Value')
    .option('--raw', 'print the response bytes as the function sent them (no JSON normalization)')
    .option('--no-logs', 'do not print the function\'s logs on stderr')
    .option('--state-dir <dir>', 'keep code copies, /tmp folders and log files here (default: a temporary folder)')
    .option('--quiet', 'no warnings about runtime versions')
    .option('--build', 'build the template first (`lambda-twin build`) and run the built code')
    .action(async (functionRef: string, opts: InvokeCommandOptions) => {
      process.exitCode = await invokeCommand(functionRef, opts);
    });
}

async function invokeCommand(functionRef: string, opts: InvokeCommandOptions): Promise<number> {
  const payload = readEvent(opts);
  if (opts.build) opts = { ...opts, template: (await buildForRun(opts.template, undefined, opts.quiet)).template };
  const twin = twinFrom(opts, { ...loadOptions(opts), stateDir: opts.stateDir, quiet: opts.quiet });
  try {
    const result = await twin.invoke(functionRef, { payload, qualifier: opts.qualifier });
    if (opts.logs) process.stderr.write(result.logs.endsWith('\n') ? result.logs : result.logs + '\n');
    const out = opts.raw || typeof result.payload === 'string' ? result.rawPayload : JSON.stringify(result.payload);
    process.stdout.write(out + '\n');
    return result.functionError ? 1 : 0;
  } finally {
    await twin.shutdown();
  }
}

function readEvent(opts: InvokeCommandOptions): string {
  if (opts.event !== undefined && opts.eventFile !== undefined) throw new UsageError('Give the event either with --event or with --event-file, not both');
  let text: string;
  let where: string;
  if (opts.eventFile !== undefined) {
    where = opts.eventFile === '-' ? 'standard input' : opts.eventFile;
    try {
      text = fs.readFileSync(opts.eventFile === '-' ? 0 : opts.eventFile, 'utf8');
    } catch (e) {
      throw new UsageError(`Cannot read the event file ${opts.eventFile}: ${(e as Error).message}`);
    }
  } else if (opts.event !== undefined) {
    text = opts.event;
    where = '--event';
  } else {
    return '{}';
  }
  try {
    JSON.parse(text);
  } catch (e) {
    throw new UsageError(`The event from ${where} is not valid JSON (${(e as Error).message}). Events are JSON values: an object, array, string, number or null.`);
  }
  return text;
}
