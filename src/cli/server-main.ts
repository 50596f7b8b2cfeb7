// A process entry for `start-lambda` and `events` alone (without the rest of the CLI), used by the crash and
// shutdown tests and runnable as `node -r ts-node/register src/cli/server-main.ts start-lambda …` or on compiled output.
import { Command } from 'commander';
import { registerEventsCommand } from './commands/events';
import { registerStartLambdaCommand } from './commands/start-lambda';
import { runProgram } from './run';

const program = new Command('lambda-twin');
registerStartLambdaCommand(program);
registerEventsCommand(program);
void runProgram(program, process.argv);
