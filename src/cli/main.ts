// The `lambda-twin` command line: invoke functions of a cloud assembly or template locally, list them,
// generate events, and serve the Lambda Invoke API. Each sub-command lives next to the feature it drives.
import * as fs from 'fs';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { buildForRun, registerBuildCommand } from './commands/build';
import { registerRuntimesCommand } from './commands/runtimes';
import { loadOptions, SourceOptions, twinFrom } from './source-options';
import { registerGenerateEventCommand } from '../testing/generate-event-command';

/** Where user-facing CLI errors end: a message on stderr and exit code 2, never a stack trace. */
export class UsageError extends Error {}

export function buildProgram(): Command {
  const program = new Command('lambda-twin')
    .description('Run AWS Lambda functions from a CDK app, a cloud assembly or a SAM/CloudFormation template locally, without Docker.')
    .version(packageVersion())
    .showHelpAfterError()
    .enablePositionalOptions();

  program.command('invoke')
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
    .option('--build', 'build the template first (`lambda-twin build`) and run the built code')
    .option('--state-dir <dir>', 'keep code copies, /tmp folders and log files here (default: a temporary folder)')
    .action(async (functionRef: string, opts: InvokeCommandOptions) => {
      process.exitCode = await invokeCommand(functionRef, opts);
    });

  registerGenerateEventCommand(program);
  registerRuntimesCommand(program);
  registerBuildCommand(program);
  registerOptionalCommands(program);
  return program;
}

interface InvokeCommandOptions extends SourceOptions {
  readonly event?: string;
  readonly eventFile?: string;
  readonly qualifier?: string;
  readonly raw?: boolean;
  readonly logs: boolean;
  readonly stateDir?: string;
  readonly build?: boolean;
}

async function invokeCommand(functionRef: string, opts: InvokeCommandOptions): Promise<number> {
  const payload = readEvent(opts);
  if (opts.build) opts = { ...opts, template: (await buildForRun(opts.template)).template };
  const twin = twinFrom(opts, { ...loadOptions(opts), stateDir: opts.stateDir });
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

/** Sub-commands owned by other features (Invoke API server, SAM listing), registered when present. */
function registerOptionalCommands(program: Command): void {
  const optional: Array<[string, string]> = [
    ['../sam/list-command', 'registerListCommand'],
    ['../engine/invoke-api/cli', 'registerStartLambdaCommand'],
    ['../engine/invoke-api/cli', 'registerEventsCommand'],
  ];
  for (const [modulePath, exportName] of optional) {
    let mod: any;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(modulePath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(path.basename(modulePath))) continue;
      throw e;
    }
    mod[exportName]?.(program);
  }
}

function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

/** Runs the CLI; errors a user can fix are printed as one clear line, not a stack trace. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    const err = e as Error & { code?: string };
    process.stderr.write(`lambda-twin: ${err.message}\n`);
    process.exitCode = 2;
  }
}

