// The esbuild builder of `lambda-twin build` (`Metadata.BuildMethod: esbuild`): bundles a Node.js function's entry
// points with esbuild itself — the project's own esbuild when it has one, else lambda-twin's — from SAM's
// BuildProperties (EntryPoints, Format, Target, Sourcemap, External, Minify; also Loader, MainFields, OutExtension,
// Banner, Footer, Define).
import * as path from 'path';
import { BuildError } from './errors';

type Esbuild = typeof import('esbuild');

/**
 * The project's esbuild if it has one, else one installed beside lambda-twin. Like SAM CLI, lambda-twin does not ship
 * esbuild (its native binary is per platform): a project that builds with esbuild installs it.
 */
function loadEsbuild(projectDir: string, logicalId: string): Esbuild {
  for (const paths of [[projectDir], [__dirname]]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(require.resolve('esbuild', { paths }));
    } catch {
      // not there: try the next place
    }
  }
  throw new BuildError(logicalId, 'esbuild',
    `BuildMethod esbuild needs esbuild, which was found neither in ${projectDir} nor beside lambda-twin. ` +
    'Install it in the project: `npm install --save-dev esbuild` (SAM CLI needs it too).');
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String)
  : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);
const flag = (value: unknown, fallback: boolean): boolean => (value === undefined ? fallback : value === true || String(value).toLowerCase() === 'true');

/** Pairs like `.ts=ts` or `{ ".ts": "ts" }` (SAM writes lists of `key=value`). */
function pairs(value: unknown): Record<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(list(value).map((p) => {
    const at = p.indexOf('=');
    return [p.slice(0, at), p.slice(at + 1)];
  }));
}

/** Bundles into `outDir`; a failure is a BuildError with esbuild's messages. */
export async function bundleWithEsbuild(
  logicalId: string, projectDir: string, outDir: string, properties: any, runtime: string | undefined,
): Promise<void> {
  const entryPoints = list(properties.EntryPoints);
  if (entryPoints.length === 0) {
    throw new BuildError(logicalId, 'esbuild', 'Metadata.BuildProperties.EntryPoints is required for BuildMethod esbuild (e.g. [app.ts]).');
  }
  const esbuild = loadEsbuild(projectDir, logicalId);
  const major = /^nodejs(\d+)/.exec(runtime ?? '')?.[1];
  const options: import('esbuild').BuildOptions = {
    absWorkingDir: projectDir,
    entryPoints: entryPoints.map((e) => path.resolve(projectDir, e)),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: String(properties.Format ?? 'cjs').toLowerCase() === 'esm' ? 'esm' : 'cjs',
    target: String(properties.Target ?? (major ? `node${major}` : 'es2020')),
    sourcemap: flag(properties.Sourcemap, false),
    minify: flag(properties.Minify, true),
    external: list(properties.External),
    logLevel: 'silent',
  };
  if (properties.Loader) options.loader = pairs(properties.Loader) as any;
  if (properties.MainFields) options.mainFields = list(properties.MainFields);
  if (properties.OutExtension) options.outExtension = pairs(properties.OutExtension);
  if (properties.Banner) options.banner = pairs(properties.Banner);
  if (properties.Footer) options.footer = pairs(properties.Footer);
  if (properties.Define) options.define = pairs(properties.Define);
  try {
    await esbuild.build(options);
  } catch (e) {
    const errors = ((e as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors ?? [])
      .map((m) => (m.location ? `${m.location.file}:${m.location.line}: ${m.text}` : m.text));
    throw new BuildError(logicalId, `esbuild ${entryPoints.join(' ')} --bundle --platform=node --format=${options.format} --target=${options.target}`,
      (errors.length > 0 ? errors : [(e as Error).message]).slice(-15).join('\n'));
  }
}
