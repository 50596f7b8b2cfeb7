// `lambda-twin publish <topic> <message>`: publish to a topic of the app, let its subscriptions (and their filter
// policies) deliver it, and print which functions ran.
import type { Command } from 'commander';
import { pairs, runTriggerVerb, TriggerVerbOptions, withSourceFlags } from '../trigger-verb';

interface PublishOptions extends TriggerVerbOptions {
  readonly subject?: string;
  readonly attribute?: string[];
  readonly numberAttribute?: string[];
}

export function registerPublishCommand(program: Command): void {
  withSourceFlags(program.command('publish')
    .description('Publish a message to an SNS topic of the app, run the functions it triggers, and print what ran. Exits 1 when a function failed.')
    .argument('<topic>', 'construct id or path, logical id, name or ARN of the topic')
    .argument('<message>', 'the message')
    .option('--subject <text>', 'the message subject')
    .option('--attribute <pairs...>', 'String message attributes as Name=Value')
    .option('--number-attribute <pairs...>', 'Number message attributes as Name=Value'))
    .action(async (topic: string, message: string, opts: PublishOptions) => {
      const numbers: Record<string, number> = {};
      for (const [k, v] of Object.entries(pairs(opts.numberAttribute, '--number-attribute'))) numbers[k] = Number(v);
      process.exitCode = await runTriggerVerb(opts, (twin) => {
        const t = twin.topic(topic);
        const id = t.publish(message, { subject: opts.subject, attributes: pairs(opts.attribute, '--attribute'), numberAttributes: numbers });
        return `Published message ${id} to ${t.name}`;
      });
    });
}
