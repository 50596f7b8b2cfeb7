// `lambda-twin put-events --source s --detail-type t --detail json`: put one event on a bus of the app, let the
// rules whose pattern matches deliver it, and print which functions ran.
import type { Command } from 'commander';
import { runTriggerVerb, TriggerVerbOptions, withSourceFlags } from '../trigger-verb';
import { UsageError } from '../usage-error';

interface PutEventsOptions extends TriggerVerbOptions {
  readonly source: string;
  readonly detailType: string;
  readonly detail: string;
  readonly bus?: string;
  readonly resource?: string[];
}

export function registerPutEventsCommand(program: Command): void {
  withSourceFlags(program.command('put-events')
    .description('Put an event on an EventBridge bus of the app, run the functions its rules trigger, and print what ran. Exits 1 when a function failed.')
    .requiredOption('--source <source>', 'the event source')
    .requiredOption('--detail-type <type>', 'the event detail-type')
    .option('--detail <json>', 'the event detail (a JSON object)', '{}')
    .option('--bus <bus>', 'the event bus (name, ARN or logical id)', 'default')
    .option('--resource <arns...>', 'the event resources'))
    .action(async (opts: PutEventsOptions) => {
      let detail: unknown;
      try {
        detail = JSON.parse(opts.detail);
      } catch (e) {
        throw new UsageError(`--detail is not valid JSON (${(e as Error).message}); give a JSON object such as '{"orderId":"o-1"}'`);
      }
      process.exitCode = await runTriggerVerb(opts, (twin) => {
        const bus = twin.eventBus(opts.bus);
        const result = bus.put([{ source: opts.source, detailType: opts.detailType, detail, resources: opts.resource }]);
        const [entry] = result.entries;
        if (entry.errorCode) throw new UsageError(`PutEvents refused the event: ${entry.errorCode}: ${entry.errorMessage}`);
        return `Put event ${entry.eventId} on bus ${bus.name}`;
      });
    });
}
