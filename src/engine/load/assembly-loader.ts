// Reads a cloud assembly (`cdk.out`): every stack's template, with each function's staged asset found through
// its `aws:asset:path` metadata or, failing that, the asset manifest entry named by its S3 key's hash.
import * as fs from 'fs';
import * as path from 'path';
import { loadCloudFormationTemplate } from './template-loader';
import { FunctionSpec } from '../../model/function-spec';

export interface AssemblyLoadOptions {
  readonly parameterOverrides?: Record<string, string>;
  readonly region?: string;
  readonly accountId?: string;
}

/** Loads every function of every stack in a cloud assembly directory (nested stages included). */
export function loadCloudAssembly(dir: string, options: AssemblyLoadOptions = {}): FunctionSpec[] {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`No cloud assembly at ${dir}: manifest.json is missing. Run \`cdk synth\` first, or pass --app <cdk.out dir> / --template <file>.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  const specs: FunctionSpec[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly') {
      specs.push(...loadCloudAssembly(path.join(dir, artifact.properties.directoryName), options));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templateFile = path.join(dir, artifact.properties.templateFile);
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
    const assets = assetManifestFor(dir, artifactId, artifacts);
    const env = parseEnvironment(artifact.environment);
    specs.push(...loadCloudFormationTemplate(template, {
      stackName: artifact.properties.stackName ?? artifact.displayName ?? artifactId,
      baseDir: dir,
      region: options.region ?? env.region,
      accountId: options.accountId ?? env.account,
      parameterOverrides: options.parameterOverrides,
      assetPath: (resource, property) => assetPathOf(resource, property, assets),
    }));
  }
  return specs;
}

function parseEnvironment(environment: string | undefined): { account?: string; region?: string } {
  const m = /^aws:\/\/([^/]+)\/(.+)$/.exec(environment ?? '');
  if (!m) return {};
  return {
    account: /^\d{12}$/.test(m[1]) ? m[1] : undefined,
    region: m[2] !== 'unknown-region' ? m[2] : undefined,
  };
}

/** The `files` section of the stack's asset manifest, keyed by asset hash. */
function assetManifestFor(dir: string, stackId: string, artifacts: Record<string, any>): Record<string, any> {
  const files: Record<string, any> = {};
  for (const artifact of Object.values(artifacts)) {
    if (artifact.type !== 'cdk:asset-manifest') continue;
    const file = path.join(dir, artifact.properties.file);
    if (!fs.existsSync(file)) continue;
    if (!path.basename(file).startsWith(`${stackId}.`) && Object.keys(files).length > 0) continue;
    Object.assign(files, JSON.parse(fs.readFileSync(file, 'utf8')).files ?? {});
  }
  return files;
}

function assetPathOf(resource: any, property: 'Code' | 'Content', assets: Record<string, any>): string | undefined {
  const metadata = resource.Metadata ?? {};
  if (metadata['aws:asset:path'] && (metadata['aws:asset:property'] ?? property) === property) {
    return metadata['aws:asset:path'];
  }
  const key = JSON.stringify(resource.Properties?.[property]?.S3Key ?? '');
  const hash = /([a-f0-9]{64})\.(zip|jar)/.exec(key)?.[1];
  const source = hash ? assets[hash]?.source : undefined;
  return source?.path;
}
