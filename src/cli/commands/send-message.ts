// `lambda-twin send-message <queue> <body>`: send one message to a queue of the app, let its event source mappings
// deliver it, and print which functions ran.
import type { Command } from 'commander';
import { pairs, runTriggerVerb, TriggerVerbOptions, withSourceFlags } from '../trigger-verb';

interface SendMessageOptions extends TriggerVerbOptions {
  readonly attribute?: string[];
  readonly groupId?: string;
  readonly deduplicationId?: string;
}

export function registerSendMessageCommand(program: Command): void {
  withSourceFlags(program.command('send-message')
    .description('Send a message to an SQS queue of the app, run the functions it triggers, and print what ran. Exits 1 when a function failed.')
    .argument('<queue>', 'construct id or path, logical id, name, URL or ARN of the queue')
    .argument('<body>', 'the message body')
    .option('--attribute <pairs...>', 'message attributes as Name=Value (String)')
    .option('--group-id <id>', 'message group id (FIFO queues)')
    .option('--deduplication-id <id>', 'deduplication id (FIFO queues without content-based deduplication)'))
    .action(async (queue: string, body: string, opts: SendMessageOptions) => {
      process.exitCode = await runTriggerVerb(opts, (twin) => {
        const q = twin.queue(queue);
        const id = q.send(body, { attributes: pairs(opts.attribute, '--attribute'), groupId: opts.groupId, deduplicationId: opts.deduplicationId });
        return `Sent message ${id} to ${q.name}`;
      });
    });
}
