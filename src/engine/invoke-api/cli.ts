// The `lambda-twin start-lambda` command (serve the Invoke API for an app's functions, like `sam local
// start-lambda`) and `lambda-twin events` (what happened to asynchronous invokes), for the main CLI to register.
import * as path from 'path';
import type { Command } from 'commander';
import { replayJournal, EventState } from './event-journal';
import { InvokeApiServer } from './invoke-api-server';
import { lockStateDir, reapOrphanedEnvironments } from './state-dir-lock';
import { loadOptions, SourceOptions, twinFrom } from '../../cli/source-options';

/** Where start-lambda keeps its journal, destination records and code copies unless told. */
export const DEFAULT_STATE_DIR = '.lambda-twin';

interface StartLambdaOptions extends SourceOptions {
  readonly host: string;
  readonly port: string;
  readonly stateDir: string;
  readonly retryDelay: string;
  readonly maxConcurrency: string;
  readonly accessKeyAccount?: string[];
  readonly logs: boolean;
}

export function registerStartLambdaCommand(program: Command): void {
  program.command('start-lambda')
    .description('Serve the Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations) for the app\'s functions, ' +
      'for the AWS SDK (endpoint) and the AWS CLI (--endpoint-url). Event invokes are journaled in --state-dir and survive a restart.')
    .option('--app <dir>', 'cloud assembly directory (cdk.out)', 'cdk.out')
    .option('-t, --template <file>', 'a SAM or CloudFormation template (YAML or JSON) instead of --app')
    .option('--host <host>', 'address to listen on (anything but loopback exposes your functions)', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '3001')
    .option('--env-vars <file>', 'environment variables in SAM CLI\'s --env-vars JSON format')
    .option('--parameter-overrides <pairs...>', 'template parameters as Key=Value')
    .option('--state-dir <dir>', 'async event journal, destination records, code copies and logs', DEFAULT_STATE_DIR)
    .option('--retry-delay <ms>', 'wait before async retry n: n × this many milliseconds (Lambda: 60000)', '100')
    .option('--max-concurrency <n>', 'most synchronous invocations at once across functions', '100')
    .option('--access-key-account <pairs...>', 'map SDK access key ids to accounts: AKID=111122223333')
    .option('--no-logs', 'do not print function logs and requests')
    .action(async (opts: StartLambdaOptions) => {
      await startLambda(opts);
    });
}

async function startLambda(opts: StartLambdaOptions): Promise<void> {
  const port = integer(opts.port, '--port', 0, 65535);
  const retryDelayMs = integer(opts.retryDelay, '--retry-delay', 0, 3_600_000);
  const maxConcurrentInvocations = integer(opts.maxConcurrency, '--max-concurrency', 1, 100_000);
  const accessKeyAccounts: Record<string, string> = {};
  for (const pair of opts.accessKeyAccount ?? []) {
    const m = /^([^=]+)=(\d{12})$/.exec(pair);
    if (!m) throw new Error(`--access-key-account expects ACCESS_KEY_ID=<12-digit account>, got '${pair}'`);
    accessKeyAccounts[m[1]] = m[2];
  }
  const stateDir = path.resolve(opts.stateDir);
  const unlock = lockStateDir(stateDir);
  const reaped = reapOrphanedEnvironments(stateDir);
  if (reaped > 0) process.stderr.write(`Ended ${reaped} execution environment(s) left by a previous server in ${stateDir}\n`);

  // aws-cdk-lib is only needed for the Duration value; loading it here keeps other commands fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Duration } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const twin = twinFrom(opts, {
    ...loadOptions(opts),
    stateDir,
    printLogs: opts.logs,
    asyncRetryDelay: Duration.millis(retryDelayMs),
  });
  let server: InvokeApiServer;
  try {
    server = await InvokeApiServer.start(twin, { host: opts.host, port, maxConcurrentInvocations, accessKeyAccounts, logRequests: opts.logs });
    twin._events(); // resume the events a previous run left
  } catch (e) {
    await twin.shutdown();
    unlock();
    throw e;
  }
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    process.stderr.write(`WARNING: listening on ${opts.host}, not loopback: anyone who can reach it can invoke these functions.\n`);
  }
  const lines = [`Invoke API listening on ${server.url}`, ''];
  for (const spec of twin._specs()) {
    const qualifiers = [...spec.versions.map((v) => v.version), ...spec.aliases.map((a) => a.name)];
    lines.push(`  ${spec.functionName}${spec.constructPath ? `  (${spec.constructPath})` : ''}`);
    lines.push(`    ${server.invocationUrl(spec.functionName)}${qualifiers.length ? `  qualifiers: ${qualifiers.join(', ')}` : ''}`);
  }
  lines.push('', `Try: aws lambda invoke --endpoint-url ${server.url} --function-name <name> --cli-binary-format raw-in-base64-out --payload '{}' out.json`, '');
  process.stdout.write(lines.join('\n') + '\n');

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('Stopping: running invokes finish, queued events stay in the journal for the next start\n');
  await server.close();
  await twin.shutdown();
  unlock();
}

interface EventsCommandOptions {
  readonly stateDir: string;
  readonly json?: boolean;
  readonly status?: string;
}

export function registerEventsCommand(program: Command): void {
  program.command('events')
    .description('Show the asynchronous (Event) invokes of a start-lambda state folder: pending, running, succeeded, failed.')
    .option('--state-dir <dir>', 'the state folder start-lambda used', DEFAULT_STATE_DIR)
    .option('--status <status>', 'only events with this status (pending, running, succeeded, failed)')
    .option('--json', 'print a JSON array instead of a table')
    .action((opts: EventsCommandOptions) => {
      process.stdout.write(eventsReport(opts.stateDir, opts));
    });
}

/** The `events` command's output for a state folder. */
export function eventsReport(stateDir: string, opts: { json?: boolean; status?: string } = {}): string {
  const statuses = ['pending', 'running', 'succeeded', 'failed'];
  if (opts.status !== undefined && !statuses.includes(opts.status)) {
    throw new Error(`--status must be one of ${statuses.join(', ')}; got '${opts.status}'`);
  }
  const events = listEvents(stateDir).filter((e) => opts.status === undefined || e.status === opts.status);
  if (opts.json) return JSON.stringify(events, null, 2) + '\n';
  if (events.length === 0) return `No asynchronous events in ${path.resolve(stateDir)}\n`;
  const rows = events.map((e) => [e.requestId, e.functionName + (e.qualifier ? `:${e.qualifier}` : ''), e.status,
    String(e.attempts), e.condition ?? '', e.errorType ?? '', e.acceptedAt]);
  const head = ['REQUEST ID', 'FUNCTION', 'STATUS', 'ATTEMPTS', 'CONDITION', 'ERROR', 'ACCEPTED'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const format = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const counts = statuses.map((s) => `${events.filter((e) => e.status === s).length} ${s}`).join(', ');
  return [format(head), ...rows.map(format), '', counts, ''].join('\n');
}

/** One event as `events --json` shows it. */
export interface EventSummary {
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier?: string;
  readonly status: string;
  readonly attempts: number;
  readonly condition?: string;
  readonly errorType?: string;
  readonly acceptedAt: string;
  readonly finishedAt?: string;
  readonly destinations?: string[];
}

/** The events of a state folder's journal (read only: safe while a server runs). */
export function listEvents(stateDir: string): EventSummary[] {
  const states = replayJournal(path.join(path.resolve(stateDir), 'async-events', 'journal.jsonl'));
  return [...states.values()].map((s: EventState) => ({
    requestId: s.id,
    functionName: s.functionName,
    qualifier: s.qualifier,
    status: s.status,
    attempts: s.attempts,
    condition: s.condition,
    errorType: s.errorType,
    acceptedAt: new Date(s.acceptedAt).toISOString(),
    finishedAt: s.finishedAt !== undefined ? new Date(s.finishedAt).toISOString() : undefined,
    destinations: s.destinations,
  }));
}

function integer(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}; got '${text}'`);
  return n;
}
