// The `lambda-twin generate-event <service> <kind> [--flags]` sub-command, built from the event registry.
// The main CLI registers it.
import { Command } from 'commander';
import { generateEvent, listEventKinds } from '../../testing/event-registry';

/**
 * Adds `generate-event` to a commander program: one sub-command per service and per kind, each kind with
 * its own flags, printing the event as JSON on stdout. Unknown services and kinds fail listing the valid ones.
 */
export function registerGenerateEventCommand(program: Command): Command {
  const kinds = listEventKinds();
  const services = [...new Set(kinds.map((k) => k.service))].sort();
  const generateEventCommand = program
    .command('generate-event')
    .description('Print a sample event shaped like the one an AWS service sends to Lambda')
    .argument('[service]', `one of: ${services.join(', ')}`)
    .action((service?: string) => {
      // Reached only when no service sub-command matched.
      if (service === undefined) {
        generateEventCommand.help({ error: true });
      }
      generateEventCommand.error(`Unknown service '${service}'. Valid services: ${services.join(', ')}`);
    });

  for (const service of services) {
    const ofService = kinds.filter((k) => k.service === service);
    const serviceCommand = generateEventCommand
      .command(service)
      .description(`Sample ${service} events: ${ofService.map((k) => k.kind).join(', ')}`)
      .argument('[kind]', `one of: ${ofService.map((k) => k.kind).join(', ')}`)
      .action((kind?: string) => {
        if (kind === undefined) {
          serviceCommand.help({ error: true });
        }
        serviceCommand.error(`Unknown event kind '${kind}' for service '${service}'. Valid kinds: ${ofService.map((k) => k.kind).join(', ')}`);
      });

    for (const eventKind of ofService) {
      const kindCommand = serviceCommand.command(eventKind.kind).description(eventKind.description);
      for (const flag of eventKind.flags) {
        kindCommand.option(`--${flag.name} <value>`, flag.description);
      }
      kindCommand.action(() => {
        const given = kindCommand.opts<Record<string, string | undefined>>();
        const flags: Record<string, string> = {};
        for (const option of kindCommand.options) {
          const value = given[option.attributeName()];
          if (value !== undefined) {
            flags[option.long!.replace(/^--/, '')] = value;
          }
        }
        let eventJson: string;
        try {
          eventJson = JSON.stringify(generateEvent(service, eventKind.kind, flags), null, 2);
        } catch (e) {
          return kindCommand.error((e as Error).message);
        }
        process.stdout.write(`${eventJson}\n`);
      });
    }
  }
  return generateEventCommand;
}
