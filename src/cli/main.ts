// The `lambda-twin` command line: invoke functions of a cloud assembly or template locally, list them,
// generate events, and serve the Lambda Invoke API. Each sub-command lives in its own file under commands/.
import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { registerBuildCommand } from './commands/build';
import { registerEventsCommand } from './commands/events';
import { registerGenerateEventCommand } from './commands/generate-event';
import { registerInvokeCommand } from './commands/invoke';
import { registerListCommand } from './commands/list';
import { registerPublishCommand } from './commands/publish';
import { registerPutEventsCommand } from './commands/put-events';
import { registerPutObjectCommand } from './commands/put-object';
import { registerRuntimesCommand } from './commands/runtimes';
import { registerSendMessageCommand } from './commands/send-message';
import { registerStartCommand } from './commands/start';
import { registerStartApiCommand } from './commands/start-api';
import { registerStartLambdaCommand } from './commands/start-lambda';
import { runProgram } from './run';

export { UsageError } from './usage-error';

export function buildProgram(): Command {
  const program = new Command('lambda-twin')
    .description('Run AWS Lambda functions from a CDK app, a cloud assembly or a SAM/CloudFormation template locally, without Docker.')
    .version(packageVersion())
    .showHelpAfterError()
    .enablePositionalOptions();
  registerInvokeCommand(program);
  registerGenerateEventCommand(program);
  registerListCommand(program);
  registerStartLambdaCommand(program);
  registerStartApiCommand(program);
  registerEventsCommand(program);
  registerRuntimesCommand(program);
  registerBuildCommand(program);
  registerStartCommand(program);
  registerSendMessageCommand(program);
  registerPutObjectCommand(program);
  registerPublishCommand(program);
  registerPutEventsCommand(program);
  return program;
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
  await runProgram(buildProgram(), argv);
}
