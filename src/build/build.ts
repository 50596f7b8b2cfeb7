// `lambda-twin build`, like `sam build`: builds each function and layer of a SAM/CloudFormation template into a
// build folder (one sub-folder per logical id) and writes a template there whose code paths point at the built
// folders, so the twin runs the built code. Builders: pip for requirements.txt, npm for package.json, esbuild for
// `Metadata.BuildMethod: esbuild`, `make build-<LogicalId>` for `BuildMethod: makefile`, and python*/nodejs*
// layers laid out under python/ and nodejs/node_modules/. Unchanged sources are not rebuilt (a content hash each).
import { spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BuildError } from './errors';
import { bundleWithEsbuild } from './esbuild';
import { discoverPythons } from '../host/interpreter-discovery';
import { parseTemplate } from '../load/template-file';

/** Where builds go by default, relative to the template's folder. */
export const DEFAULT_BUILD_DIR = path.join('.lambda-twin', 'build');
/** The template written into the build folder. */
export const BUILT_TEMPLATE = 'template.json';

export { BuildError } from './errors';

export interface BuildOptions {
  /** The build folder (default `<template folder>/.lambda-twin/build`). */
  readonly buildDir?: string;
  /** Only these logical ids (default: every function and layer). */
  readonly only?: string[];
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Build even when the content hash is unchanged. */
  readonly force?: boolean;
  /** The Python interpreter whose pip installs requirements (default: one matching the runtime, else python3). */
  readonly python?: string;
}

/** What happened to one resource. */
export interface BuiltResource {
  readonly logicalId: string;
  readonly kind: 'function' | 'layer';
  /** The builder used: `pip`, `npm`, `esbuild`, `makefile`, `copy`. */
  readonly method: string;
  /** The folder holding the built code. */
  readonly artifactsDir: string;
  /** True when the previous build was reused (sources unchanged). */
  readonly cached: boolean;
}

export interface BuildResult {
  readonly buildDir: string;
  /** The built template (code paths point at the built folders). */
  readonly template: string;
  readonly resources: BuiltResource[];
}

const FUNCTION_TYPES = new Set(['AWS::Serverless::Function', 'AWS::Lambda::Function']);
const LAYER_TYPES = new Set(['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion']);
/** Folders never copied into a build or hashed. */
const SKIPPED = new Set(['.git', '.aws-sam', '.lambda-twin', 'node_modules', '__pycache__', 'cdk.out', '.venv']);
const RECORD = '.lambda-twin-build.json';

/** Builds a template's functions and layers; resolves with the built template's path. */
export async function buildTemplate(templateFile: string, options: BuildOptions = {}): Promise<BuildResult> {
  const templatePath = path.resolve(templateFile);
  const templateDir = path.dirname(templatePath);
  let text: string;
  try {
    text = fs.readFileSync(templatePath, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the template ${templateFile}: ${(e as Error).message}`);
  }
  const template = parseTemplate(text, templatePath);
  const buildDir = path.resolve(options.buildDir ?? path.join(templateDir, DEFAULT_BUILD_DIR));
  fs.mkdirSync(buildDir, { recursive: true });
  const globals = template.Globals?.Function ?? {};
  const resources: BuiltResource[] = [];
  const out = JSON.parse(JSON.stringify(template));
  for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
    const isFunction = FUNCTION_TYPES.has(resource?.Type);
    const isLayer = LAYER_TYPES.has(resource?.Type);
    if (!isFunction && !isLayer) continue;
    const props = resource.Properties ?? {};
    const sam = resource.Type.startsWith('AWS::Serverless::');
    const codeKey = isFunction ? (sam ? 'CodeUri' : 'Code') : (sam ? 'ContentUri' : 'Content');
    if (isFunction && (props.InlineCode !== undefined || props.PackageType === 'Image' || (!sam && typeof props.Code !== 'string'))) continue;
    const codeValue = props[codeKey] ?? (isFunction && sam ? globals.CodeUri : undefined) ?? (sam ? '.' : undefined);
    if (typeof codeValue !== 'string') continue; // S3 locations and intrinsics: nothing local to build
    const source = path.resolve(templateDir, codeValue);
    const built = path.join(buildDir, logicalId);
    const relativeBuilt = path.relative(buildDir, built) || '.';
    const metadata = resource.Metadata ?? {};
    const selected = !options.only || options.only.includes(logicalId);
    const runtime: string | undefined = isFunction ? (props.Runtime ?? globals.Runtime) : metadata.BuildMethod;
    if (isLayer && !metadata.BuildMethod) {
      // SAM builds a layer only when it has a BuildMethod; the others run as they are.
      out.Resources[logicalId].Properties[codeKey] = path.relative(buildDir, source) || '.';
      continue;
    }
    if (!selected) {
      const previous = path.join(built, RECORD);
      out.Resources[logicalId].Properties[codeKey] = fs.existsSync(previous) ? relativeBuilt : (path.relative(buildDir, source) || '.');
      continue;
    }
    if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
      throw new BuildError(logicalId, `read ${codeKey} ${codeValue}`, `The code folder ${source} does not exist (${codeKey} is relative to the template's folder ${templateDir}).`);
    }
    const architecture = (props.Architectures ?? globals.Architectures ?? ['x86_64'])[0];
    const method = builderFor(isFunction ? 'function' : 'layer', metadata.BuildMethod, runtime, source);
    const hash = contentHash(source, { method, runtime, architecture, properties: metadata.BuildProperties ?? null, handler: props.Handler });
    const cached = !options.force && readRecord(built)?.hash === hash;
    if (cached) {
      options.log?.(`${logicalId}: unchanged, reusing ${built}`);
    } else {
      options.log?.(`${logicalId}: building with ${method}`);
      fs.rmSync(built, { recursive: true, force: true });
      fs.mkdirSync(built, { recursive: true });
      const step: BuildStep = { logicalId, source, artifacts: built, buildDir, runtime, architecture, metadata, python: options.python };
      await runBuilder(method, step, isFunction ? 'function' : 'layer');
      fs.writeFileSync(path.join(built, RECORD), JSON.stringify({ hash, method, builtAt: new Date().toISOString() }));
    }
    out.Resources[logicalId].Properties[codeKey] = relativeBuilt;
    if (codeKey === 'CodeUri' && props.CodeUri === undefined) out.Resources[logicalId].Properties.CodeUri = relativeBuilt;
    resources.push({ logicalId, kind: isFunction ? 'function' : 'layer', method, artifactsDir: built, cached });
  }
  if (out.Globals?.Function?.CodeUri !== undefined) delete out.Globals.Function.CodeUri; // every function has its own now
  const builtTemplate = path.join(buildDir, BUILT_TEMPLATE);
  fs.writeFileSync(builtTemplate, JSON.stringify(out, null, 2) + '\n');
  return { buildDir, template: builtTemplate, resources };
}

/** Which builder a resource gets, as `sam build` chooses it. */
function builderFor(kind: 'function' | 'layer', buildMethod: string | undefined, runtime: string | undefined, source: string): string {
  const method = String(buildMethod ?? '').toLowerCase();
  if (method === 'makefile') return 'makefile';
  if (method === 'esbuild') return 'esbuild';
  const family = method || String(runtime ?? '');
  if (family.startsWith('python')) return fs.existsSync(path.join(source, 'requirements.txt')) ? 'pip' : 'copy';
  if (family.startsWith('nodejs')) return fs.existsSync(path.join(source, 'package.json')) ? 'npm' : 'copy';
  return kind === 'layer' && method ? method : 'copy';
}

interface BuildStep {
  readonly logicalId: string;
  readonly source: string;
  readonly artifacts: string;
  readonly buildDir: string;
  readonly runtime?: string;
  readonly architecture: string;
  readonly metadata: any;
  readonly python?: string;
}

async function runBuilder(method: string, step: BuildStep, kind: 'function' | 'layer'): Promise<void> {
  // Layers put their content where the runtime looks for it: python/ and nodejs/ (node_modules inside).
  const layerFamily = kind === 'layer' ? String(step.metadata.BuildMethod ?? '').toLowerCase() : '';
  const target = layerFamily.startsWith('python') ? path.join(step.artifacts, 'python')
    : layerFamily.startsWith('nodejs') ? path.join(step.artifacts, 'nodejs') : step.artifacts;
  switch (method) {
    case 'makefile':
      await makefileBuild(step);
      return;
    case 'esbuild':
      await esbuildBuild(step);
      return;
    case 'pip':
      copySource(step.source, target);
      await pipInstall(step, target);
      return;
    case 'npm':
      copySource(step.source, target);
      await npmInstall(step, target);
      return;
    case 'copy':
      copySource(step.source, target);
      return;
    default:
      throw new BuildError(step.logicalId, `BuildMethod ${step.metadata.BuildMethod}`,
        'lambda-twin builds python*, nodejs*, esbuild and makefile build methods (java and go builds are not supported yet).');
  }
}

/** Copies a source folder without version-control, build-output and dependency folders. */
function copySource(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true });
  fs.cpSync(source, target, {
    recursive: true,
    filter: (from) => !SKIPPED.has(path.basename(from)) || from === source,
  });
}

async function makefileBuild(step: BuildStep): Promise<void> {
  const makefile = path.join(step.source, 'Makefile');
  if (!fs.existsSync(makefile)) {
    throw new BuildError(step.logicalId, 'make', `BuildMethod makefile needs a Makefile in ${step.source} with a build-${step.logicalId} target.`);
  }
  // As SAM does: the target runs in a scratch copy of the source, with ARTIFACTS_DIR the folder to fill.
  const scratch = path.join(step.buildDir, '.scratch', step.logicalId);
  fs.rmSync(scratch, { recursive: true, force: true });
  copySource(step.source, scratch);
  try {
    await run(step.logicalId, 'make', ['-f', path.join(scratch, 'Makefile'), `build-${step.logicalId}`], scratch, { ARTIFACTS_DIR: step.artifacts });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function esbuildBuild(step: BuildStep): Promise<void> {
  const scratch = path.join(step.buildDir, '.scratch', step.logicalId);
  fs.rmSync(scratch, { recursive: true, force: true });
  copySource(step.source, scratch);
  try {
    // The bundle's dependencies come from the project's package.json, installed as `sam build` does.
    if (fs.existsSync(path.join(scratch, 'package.json'))) await npmInstall(step, scratch, false);
    await bundleWithEsbuild(step.logicalId, scratch, step.artifacts, step.metadata.BuildProperties ?? {}, step.runtime);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function pipInstall(step: BuildStep, target: string): Promise<void> {
  const requirements = path.join(step.source, 'requirements.txt');
  const version = /^python(\d+\.\d+)/.exec(String(step.runtime ?? ''))?.[1];
  const { interpreter, exact } = pythonFor(version, step.python);
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '-r', requirements, '-t', target];
  const hostArch = process.arch === 'arm64' ? 'arm64' : 'x86_64';
  if (!exact || step.architecture !== hostArch) {
    // No interpreter of the runtime's version (or another architecture): wheels for Lambda's platform only.
    const platform = step.architecture === 'arm64' ? 'manylinux2014_aarch64' : 'manylinux2014_x86_64';
    args.push('--platform', platform, '--implementation', 'cp', '--only-binary=:all:');
    if (version) args.push('--python-version', version);
  }
  await run(step.logicalId, interpreter, args, step.source, { PIP_USER: '0', PIP_REQUIRE_VIRTUALENV: '0' });
}

function pythonFor(version: string | undefined, override: string | undefined): { interpreter: string; exact: boolean } {
  if (override) return { interpreter: override, exact: true };
  if (version) {
    for (const candidate of [`python${version}`, ...discoverPythons(version)]) {
      if (spawnSync(candidate, ['-c', 'import pip'], { stdio: 'ignore', timeout: 15_000 }).status === 0) {
        return { interpreter: candidate, exact: true };
      }
    }
  }
  return { interpreter: 'python3', exact: !version };
}

async function npmInstall(step: BuildStep, dir: string, omitDev = true): Promise<void> {
  const locked = fs.existsSync(path.join(dir, 'package-lock.json')) || fs.existsSync(path.join(dir, 'npm-shrinkwrap.json'));
  const args = [locked ? 'ci' : 'install', ...(omitDev ? ['--omit=dev'] : []), '--no-audit', '--no-fund', '--install-links'];
  await run(step.logicalId, process.platform === 'win32' ? 'npm.cmd' : 'npm', args, dir, {});
}

/** Runs a build command; rejects with a BuildError holding the command and the last lines of its output. */
function run(logicalId: string, command: string, args: string[], cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const output: Buffer[] = [];
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => output.push(d));
    child.stderr.on('data', (d: Buffer) => output.push(d));
    const shown = `${command} ${args.join(' ')}`;
    child.on('error', (e) => reject(new BuildError(logicalId, shown, e.message)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const tail = Buffer.concat(output).toString('utf8').trimEnd().split('\n').slice(-15).join('\n');
      reject(new BuildError(logicalId, shown, `${tail}\n(exit ${code ?? signal})`.trim()));
    });
  });
}

/** A hash of a source folder's files (paths and bytes) and the build settings. */
function contentHash(source: string, settings: object): string {
  const hash = crypto.createHash('sha256').update(JSON.stringify(settings));
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (SKIPPED.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile()) {
        hash.update(path.relative(source, full)).update('\0').update(fs.readFileSync(full)).update('\0');
      }
    }
  };
  walk(source);
  return hash.digest('hex');
}

function readRecord(built: string): { hash?: string } | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(built, RECORD), 'utf8'));
  } catch {
    return undefined;
  }
}
