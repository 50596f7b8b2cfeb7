// `lambda-twin build`, like `sam build`: builds a template's functions and layers into a build folder the twin then
// runs from (`invoke --build` builds first); see src/build/build.ts.
import * as path from 'path';
import { Command } from 'commander';
import { buildTemplate, BuildResult, DEFAULT_BUILD_DIR } from '../../build/build';

export interface BuildCommandOptions {
  readonly template?: string;
  readonly buildDir?: string;
  readonly force?: boolean;
}

/** Builds for a command that runs functions; resolves with the built template to load. */
export async function buildForRun(template: string | undefined, buildDir?: string, quiet = false): Promise<BuildResult> {
  if (!template) {
    throw new Error('--build needs a SAM/CloudFormation template (--template). CDK apps are built by `cdk synth`.');
  }
  return buildTemplate(template, { buildDir, log: quiet ? undefined : (line) => process.stderr.write(`lambda-twin build: ${line}\n`) });
}

export function registerBuildCommand(program: Command): void {
  program.command('build')
    .description(`Build a SAM/CloudFormation template's functions and layers like \`sam build\` (pip, npm, esbuild, makefile) into ${DEFAULT_BUILD_DIR} next to the template`)
    .argument('[resources...]', 'logical ids to build (default: all)')
    .option('-t, --template <file>', 'the template', 'template.yaml')
    .option('-b, --build-dir <dir>', `the build folder (default: ${DEFAULT_BUILD_DIR} next to the template)`)
    .option('--force', 'rebuild even when the sources are unchanged')
    .action(async (resources: string[], opts: BuildCommandOptions) => {
      const result = await buildTemplate(opts.template!, {
        buildDir: opts.buildDir,
        only: resources.length > 0 ? resources : undefined,
        force: opts.force,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const template = path.relative(process.cwd(), result.template) || result.template;
      process.stdout.write(`Built ${result.resources.length} resource(s) into ${path.relative(process.cwd(), result.buildDir) || '.'}\n`);
      process.stdout.write(`Run them with: lambda-twin invoke -t ${template} <function>\n`);
    });
}
