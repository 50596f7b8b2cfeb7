// Runs a commander program as the `lambda-twin` process: exit codes as the README documents them (0 done, 1 the
// function failed or was throttled, 2 bad input, usage errors of the argument parser included), errors a user can
// fix as one line instead of a stack trace, and process warnings without Node's `--trace-warnings` hint.
import { Command, CommanderError } from 'commander';

/** Exit code when the function failed (an error result, or a throttle: the function side said no). */
export const EXIT_FUNCTION_FAILED = 1;
/** Exit code for bad input: flags, files, events, the app, a port in use. */
export const EXIT_BAD_INPUT = 2;

/** Error codes that mean the function side failed rather than the input. */
const FUNCTION_SIDE_FAILURES = new Set(['TooManyRequestsException']);

export async function runProgram(program: Command, argv: string[]): Promise<void> {
  printWarningsPlainly();
  program.exitOverride();
  for (const command of program.commands) exitOverrideAll(command);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.exitCode = exitCodeOf(e);
    if (e instanceof CommanderError) return; // commander printed its message (and the help) already
    process.stderr.write(`lambda-twin: ${(e as Error).message}\n`);
  }
}

/** The process exit code for an error that ended a command. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT; // --help and --version exit 0
  const code = (e as { code?: string } | undefined)?.code;
  return code !== undefined && FUNCTION_SIDE_FAILURES.has(code) ? EXIT_FUNCTION_FAILED : EXIT_BAD_INPUT;
}

function exitOverrideAll(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) exitOverrideAll(sub);
}

/** Process warnings as `lambda-twin: warning: …` lines, without the hint about `node --trace-warnings`. */
function printWarningsPlainly(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    process.stderr.write(`lambda-twin: warning: ${warning.message}\n`);
  });
}
