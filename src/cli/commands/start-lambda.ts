// `lambda-twin start-lambda`: serve the Invoke API for an app's functions (like `sam local start-lambda`) until
// SIGINT or SIGTERM.
import * as path from 'path';
import type { Command } from 'commander';
import { coreOf } from '../../core-of';
import { lockStateDir, reapOrphanedEnvironments } from '../../engine/invoke-api/state-dir-lock';
import { RealTriggerClock } from '../../engine/triggers/trigger-clock';
import { InvokeApiServer } from '../../servers/invoke-api-server';
import { hubOf } from '../../trigger-hub-of';
import { isolateOptions, loadOptions, SourceOptions, twinFrom } from '../source-options';
import { DEFAULT_STATE_DIR } from '../state-dir';

interface StartLambdaOptions extends SourceOptions {
  readonly host: string;
  readonly port: string;
  readonly stateDir: string;
  readonly retryDelay: string;
  readonly maxConcurrency: string;
  readonly accessKeyAccount?: string[];
  readonly logs: boolean;
  readonly quiet?: boolean;
}

export function registerStartLambdaCommand(program: Command): void {
  isolateOptions(program.command('start-lambda'))
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
    .option('--quiet', 'no warnings about runtime versions')
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
    quiet: opts.quiet,
  });
  const core = coreOf(twin);
  let server: InvokeApiServer;
  try {
    server = await InvokeApiServer.start(twin, { host: opts.host, port, maxConcurrentInvocations, accessKeyAccounts, logRequests: opts.logs })
      .catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EADDRINUSE') throw e;
        throw new Error(`Port ${port} on ${opts.host} is in use (another start-lambda?). Pick another with --port <n>, or --port 0 for any free port.`);
      });
    // The app's triggers (and the destinations async invokes send to) run in real time beside the API.
    hubOf(core, { clock: new RealTriggerClock() });
    core.events(); // resume the events a previous run left
  } catch (e) {
    await twin.shutdown();
    unlock();
    throw e;
  }
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    process.stderr.write(`WARNING: listening on ${opts.host}, not loopback: anyone who can reach it can invoke these functions.\n`);
  }
  const lines = [`Invoke API listening on ${server.url}`, ''];
  for (const spec of core.specs) {
    const qualifiers = [...spec.versions.map((v) => v.version), ...spec.aliases.map((a) => a.name)];
    lines.push(`  ${spec.functionName}${spec.constructPath ? `  (${spec.constructPath})` : ''}`);
    lines.push(`    ${server.invocationUrl(spec.functionName)}${qualifiers.length ? `  qualifiers: ${qualifiers.join(', ')}` : ''}`);
  }
  lines.push('', `Try: aws lambda invoke --endpoint-url ${server.url} --function-name <name> --cli-binary-format raw-in-base64-out --payload '{}' out.json`, '');
  process.stdout.write(lines.join('\n') + '\n');
  process.stderr.write(`State folder: ${stateDir} (async journal, destination records, code copies, logs; safe to delete when stopped, keep it out of git)\n`);

  await stopSignals(() => {
    process.stderr.write('Stopping: running invokes finish, queued events stay in the journal for the next start (Ctrl-C again to force)\n');
  }, () => {
    process.stderr.write('Forced stop: running invokes are abandoned\n');
    unlock();
    process.exit(130); // the exit handlers end every environment's process group
  });
  await server.stop(); // running invokes finish and reach their clients
  await twin.shutdown(); // running async attempts finish (journaled), then the environments stop
  unlock();
}

/**
 * Resolves on the first SIGINT or SIGTERM (after `onStop`); a second one calls `onForce`. One listener stays
 * installed from start to exit, so no signal ever meets Node's default action (which would kill without cleanup).
 */
function stopSignals(onStop: () => void, onForce: () => void): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const onSignal = () => {
      received++;
      if (received === 1) {
        onStop();
        resolve();
      } else {
        onForce();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function integer(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}; got '${text}'`);
  return n;
}
