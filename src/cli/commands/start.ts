// `lambda-twin start`: run the app's triggers in real time — queue and stream pollers, schedules — and print each
// delivery and each asynchronous invoke's outcome, until SIGINT or SIGTERM.
import type { Command } from 'commander';
import { coreOf } from '../../core-of';
import { RealTriggerClock } from '../../engine/triggers/trigger-clock';
import { hubOf } from '../../trigger-hub-of';
import { triggersByFunction } from '../../trigger-summary';
import { isolateOptions, loadOptions, SourceOptions, twinFrom } from '../source-options';
import { formatDelivery } from '../trigger-verb';

interface StartOptions extends SourceOptions {
  readonly logs: boolean;
  readonly quiet?: boolean;
}

export function registerStartCommand(program: Command): void {
  isolateOptions(program.command('start'))
    .description('Run the app\'s triggers in real time (SQS and stream pollers, EventBridge and Scheduler schedules) and print each delivery, until Ctrl-C')
    .option('--app <dir>', 'cloud assembly directory (cdk.out)', 'cdk.out')
    .option('-t, --template <file>', 'a SAM or CloudFormation template (YAML or JSON) instead of --app')
    .option('--env-vars <file>', 'environment variables in SAM CLI\'s --env-vars JSON format')
    .option('--parameter-overrides <pairs...>', 'template parameters as Key=Value')
    .option('--no-logs', 'do not print the functions\' logs on stderr')
    .option('--quiet', 'no warnings about runtime versions')
    .action(async (opts: StartOptions) => {
      await start(opts);
    });
}

async function start(opts: StartOptions): Promise<void> {
  const twin = twinFrom(opts, { ...loadOptions(opts), printLogs: opts.logs, quiet: opts.quiet });
  const core = coreOf(twin);
  const stamp = () => new Date().toISOString();
  try {
    const hub = hubOf(core, {
      clock: new RealTriggerClock(),
      onDelivery: (d) => process.stdout.write(`${stamp()} ${formatDelivery(d)}\n`),
    });
    core.onEventFinished((state) => {
      process.stdout.write(`${stamp()} ${state.functionName}: ${state.status === 'succeeded' ? 'ok' : `error — ${state.condition}`} ` +
        `(asynchronous invoke ${state.id}, ${state.attempts} attempt${state.attempts === 1 ? '' : 's'})\n`);
    });
    const triggers = triggersByFunction(core);
    const lines = ['Triggers running (real time):'];
    for (const spec of core.specs) {
      for (const t of triggers.get(`${spec.stackName}/${spec.logicalId}`) ?? []) lines.push(`  ${t} → ${spec.functionName}`);
    }
    for (const q of hub.polls.queues()) lines.push(`  queue ${q.name} (${q.url})`);
    if (lines.length === 1) lines.push('  (none: this app has no triggers the twin runs)');
    process.stdout.write(lines.join('\n') + '\n');
  } catch (e) {
    await twin.shutdown();
    throw e;
  }
  // The trigger clock's timers do not keep a process alive; `start` lives until a signal.
  const keepAlive = setInterval(() => {}, 1_000_000_000);
  await new Promise<void>((resolve) => {
    const stop = () => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      process.stderr.write('Stopping: running invokes finish\n');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await twin.shutdown();
}
