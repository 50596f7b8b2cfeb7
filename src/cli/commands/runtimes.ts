// `lambda-twin runtimes list|install`: which host interpreter each managed runtime runs on, and the libraries
// Lambda provides to it (AWS SDKs, durable execution SDKs) in lambda-twin's per-user cache.
import { Command } from 'commander';
import {
  cachedLibraries, installCommand, installRuntimeLibraries, providedLibraries, runtimeLibsDir, runtimeLibsRoot,
} from '../../engine/runtime-libs/runtime-libraries';
import { hostInterpreter, requestedVersion } from '../../engine/runtimes/runtimes';
import { howToGetInterpreter } from '../../host/interpreter-discovery';
import { RUNTIMES } from '../../model/platform';

/** The runtimes lambda-twin runs with a host interpreter and Lambda-provided libraries, current ones by default. */
function listedRuntimes(all: boolean): string[] {
  const today = new Date().toISOString().slice(0, 10);
  return RUNTIMES
    .filter((r) => r.family === 'python' || r.family === 'nodejs')
    .filter((r) => all || !r.deprecated || r.deprecated > today)
    .map((r) => r.identifier);
}

/** One line per runtime: interpreter (path, version, exact or mismatched) and the cached libraries with versions. */
export function describeRuntimes(runtimes: string[]): string {
  const lines: string[] = [`Runtime libraries cache: ${runtimeLibsRoot()}`, ''];
  for (const runtime of runtimes) {
    let interpreter: string;
    try {
      const found = hostInterpreter(runtime);
      const wanted = requestedVersion(runtime);
      interpreter = wanted && wanted !== found.version
        ? `${found.executable} (${found.version}, MISMATCH: ${howToGetInterpreter(runtime)})`
        : `${found.executable} (${found.version}, exact)`;
    } catch (e) {
      interpreter = `none found (${howToGetInterpreter(runtime)})`;
    }
    lines.push(`${runtime}`);
    lines.push(`  interpreter: ${interpreter}`);
    const libs = cachedLibraries(runtime);
    if (libs.length === 0) {
      lines.push('  libraries:   none provided');
    } else {
      const missing = libs.filter((l) => !l.version);
      lines.push(`  libraries:   ${libs.map((l) => `${l.name} ${l.version ?? '(missing)'}`).join(', ')}`);
      if (missing.length > 0) lines.push(`  fetch with:  ${installCommand(runtime)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function registerRuntimesCommand(program: Command): void {
  const runtimes = program.command('runtimes')
    .description('Host interpreters and the libraries Lambda provides (AWS SDKs) for each managed runtime');
  runtimes.command('list')
    .description('Show each runtime\'s interpreter (path, version, exact or mismatched) and its cached libraries')
    .option('--all', 'include deprecated runtimes')
    .action((opts: { all?: boolean }) => {
      process.stdout.write(describeRuntimes(listedRuntimes(opts.all === true)));
    });
  runtimes.command('install')
    .description('Fetch the libraries Lambda provides for the runtimes into lambda-twin\'s cache (npm / pip), for offline use')
    .argument('[runtime...]', 'runtime identifiers (default: every current python and nodejs runtime)')
    .option('--package <name...>', 'more packages to add, e.g. @aws-sdk/client-kinesis')
    .action(async (names: string[], opts: { package?: string[] }) => {
      const targets = names.length > 0 ? names : listedRuntimes(false);
      for (const runtime of targets) {
        if (providedLibraries(runtime).length === 0) {
          throw new Error(`Lambda provides no libraries lambda-twin fetches for runtime '${runtime}' (python3.x and nodejs18.x or later have them)`);
        }
        process.stderr.write(`Fetching the ${runtime} runtime libraries into ${runtimeLibsDir(runtime)}…\n`);
        const libs = await installRuntimeLibraries(runtime, { extraPackages: opts.package });
        process.stdout.write(`${runtime}: ${libs.map((l) => `${l.name} ${l.version ?? '(missing)'}`).join(', ')}\n`);
      }
    });
}
