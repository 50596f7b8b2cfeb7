// `lambda-twin list`: every function of a cloud assembly or a SAM/CloudFormation template with its resolved
// configuration (runtime, handler, memory, timeout, environment with --env-vars applied, layers, code), as a table or JSON.
import type { Command } from 'commander';
import { coreOf } from '../../core-of';
import { FunctionSummary } from '../../local-twin';
import { hubOf } from '../../trigger-hub-of';
import { triggersByFunction } from '../../trigger-summary';
import { loadOptions, SourceOptions, twinFrom } from '../source-options';

interface ListCommandOptions extends SourceOptions {
  readonly json?: boolean;
}

/** Adds `list` to the `lambda-twin` program. */
export function registerListCommand(program: Command): void {
  program.command('list')
    .description('List every function with its resolved configuration (environment overrides from --env-vars included)')
    .option('--app <dir>', 'cloud assembly directory (cdk.out)', 'cdk.out')
    .option('-t, --template <file>', 'a SAM or CloudFormation template (YAML or JSON) instead of --app')
    .option('--json', 'print JSON instead of a table')
    .option('--parameter-overrides <pairs...>', 'template parameters as Key=Value (or ParameterKey=K,ParameterValue=V)')
    .option('--env-vars <file>', 'environment variables in SAM CLI\'s --env-vars JSON format')
    .action(async (opts: ListCommandOptions) => {
      const functions = await listFunctions(opts);
      process.stdout.write(opts.json ? JSON.stringify(functions, null, 2) + '\n' : formatFunctionTable(functions) + formatTriggerProblems(functions));
      if (!opts.json) process.stdout.write(await apiNotes(opts));
    });
}

/** A function with what triggers it (one line per trigger). */
export interface ListedFunction extends FunctionSummary {
  readonly triggers: string[];
  /** What is wrong with the app's trigger configuration (the same on every function of the app). */
  readonly triggerProblems?: string[];
}

/** The app's trigger configuration problems, after the table. */
function formatTriggerProblems(functions: ListedFunction[]): string {
  const problems = functions[0]?.triggerProblems ?? [];
  if (problems.length === 0) return '';
  return ['', 'Triggers not delivered:', ...problems.map((p) => `  ${p}`)].join('\n') + '\n';
}

/** The functions of the source the options name, with their resolved configuration and triggers. */
export async function listFunctions(opts: SourceOptions): Promise<ListedFunction[]> {
  const twin = twinFrom(opts, loadOptions(opts));
  try {
    const core = coreOf(twin);
    const triggers = triggersByFunction(core);
    const triggerProblems = [...hubOf(core, { onWarning: () => {} }).warnings];
    return twin.functions().map((f) => ({ ...f, triggers: triggers.get(`${f.stackName}/${f.logicalId}`) ?? [], triggerProblems }));
  } finally {
    await twin.shutdown();
  }
}

/** The HTTP fronts (APIs, Function URLs) and what of them is not emulated, listed by resource. */
async function apiNotes(opts: SourceOptions): Promise<string> {
  const twin = twinFrom(opts, loadOptions(opts));
  try {
    const apis = coreOf(twin).app.apis;
    if (apis.fronts.length === 0 && apis.unsupported.length === 0) return '';
    const out = ['', 'HTTP fronts (lambda-twin start-api):'];
    for (const f of apis.fronts) out.push(`  ${f.kind.padEnd(4)} ${f.id}  ${apis.routes.filter((r) => r.apiId === f.id && r.stackName === f.stackName).length} route(s)`);
    if (apis.unsupported.length) out.push('  Not emulated:', ...apis.unsupported.map((u) => `    ${u}`));
    return out.join('\n') + '\n';
  } finally {
    await twin.shutdown();
  }
}

const CONSTRUCT_COLUMN: [string, (f: FunctionSummary) => string] = ['CONSTRUCT', (f) => f.constructPath?.replace(/\/Resource$/, '') ?? '-'];

const COLUMNS: Array<[string, (f: FunctionSummary) => string]> = [
  ['LOGICAL ID', (f) => f.logicalId],
  ['FUNCTION NAME', (f) => f.functionName],
  ['RUNTIME', (f) => f.runtime ?? '-'],
  ['HANDLER', (f) => f.handler ?? '-'],
  ['MEMORY', (f) => `${f.memorySize} MB`],
  ['TIMEOUT', (f) => `${f.timeout} s`],
  ['ARCH', (f) => f.architectures.join(',')],
  ['LAYERS', (f) => f.layers.join(', ') || '-'],
  ['CODE', (f) => f.codePath ?? '-'],
];

/**
 * A readable table: one row per function, then each function's environment (one variable a line, so long values stay
 * readable) and what could not be resolved.
 */
export function formatFunctionTable(functions: Array<FunctionSummary & { readonly triggers?: string[] }>): string {
  if (functions.length === 0) return 'No functions found.\n';
  // Functions of a CDK app are invoked by construct id, so show the construct paths when there are any.
  const columns = functions.some((f) => f.constructPath) ? [CONSTRUCT_COLUMN, ...COLUMNS] : COLUMNS;
  const rows = functions.map((f) => columns.map(([, cell]) => cell(f)));
  const widths = columns.map(([title], i) => Math.max(title.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(columns.map(([title]) => title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const f of functions) {
    const variables = Object.entries(f.environment);
    const triggers = f.triggers ?? [];
    if (variables.length === 0 && f.warnings.length === 0 && f.unsupported.length === 0 && triggers.length === 0) continue;
    out.push('', `${f.logicalId} (${f.functionName})`);
    if (variables.length > 0) {
      out.push('  Environment:');
      for (const [key, value] of variables) out.push(`    ${key}=${value}`);
    }
    if (f.warnings.length > 0) {
      out.push('  Warnings:');
      for (const warning of f.warnings) out.push(`    ${warning}`);
    }
    if (triggers.length > 0) {
      out.push('  Triggers:');
      for (const trigger of triggers) out.push(`    ${trigger}`);
    }
    if (f.unsupported.length > 0) {
      out.push('  Not emulated:');
      for (const item of f.unsupported) out.push(`    ${item}`);
    }
  }
  return out.join('\n') + '\n';
}
