// `lambda-twin put-object <bucket> <key> [file]`: store an object in a bucket of the app (or delete it with
// --delete), let its notifications invoke their functions, and print which functions ran.
import * as fs from 'fs';
import type { Command } from 'commander';
import { runTriggerVerb, TriggerVerbOptions, withSourceFlags } from '../trigger-verb';
import { UsageError } from '../usage-error';

interface PutObjectOptions extends TriggerVerbOptions {
  readonly delete?: boolean;
  readonly eventName?: string;
}

export function registerPutObjectCommand(program: Command): void {
  withSourceFlags(program.command('put-object')
    .description('Put (or --delete) an object in an S3 bucket of the app, run the functions its notifications trigger, and print what ran. ' +
      'Exits 1 when a function failed.')
    .argument('<bucket>', 'construct id or path, logical id, name or ARN of the bucket')
    .argument('<key>', 'the object key')
    .argument('[file]', 'the object\'s content (default: empty)')
    .option('--delete', 'delete the object instead (ObjectRemoved:Delete)')
    .option('--event-name <name>', 'ObjectCreated:Put (default), :Post, :Copy or :CompleteMultipartUpload'))
    .action(async (bucket: string, key: string, file: string | undefined, opts: PutObjectOptions) => {
      let body = '';
      if (file !== undefined) {
        try {
          body = fs.readFileSync(file, 'utf8');
        } catch (e) {
          throw new UsageError(`Cannot read ${file}: ${(e as Error).message}`);
        }
      }
      process.exitCode = await runTriggerVerb(opts, (twin) => {
        const b = twin.bucket(bucket);
        if (opts.delete) {
          b.deleteObject(key);
          return `Deleted s3://${b.name}/${key}`;
        }
        const o = b.putObject(key, body, { eventName: opts.eventName });
        return `Put s3://${b.name}/${key} (${o.size} bytes, ETag ${o.eTag})`;
      });
    });
}
