// Reads a cloud assembly (`cdk.out`): every stack's template, with each function's staged asset found through
// its `aws:asset:path` metadata or, failing that, the asset manifest entry named by its S3 key's hash.
import * as fs from 'fs';
import * as path from 'path';
import { loadAnyTemplateApp } from './sam-loader';
import { constructIdFromPath } from './template-loader';
import { AppModel, mergeApps } from '../model/app-model';
import { FunctionSpec } from '../model/function-spec';

export interface AssemblyLoadOptions {
  readonly parameterOverrides?: Record<string, string>;
  readonly region?: string;
  readonly accountId?: string;
}

/** Loads every function of every stack in a cloud assembly directory (nested stages included). */
export function loadCloudAssembly(dir: string, options: AssemblyLoadOptions = {}): FunctionSpec[] {
  return loadCloudAssemblyApp(dir, options).functions;
}

/**
 * Loads a cloud assembly into the app model: every stack's functions, triggers and HTTP fronts. `stackName`, when
 * given, keeps only that stack's.
 */
export function loadCloudAssemblyApp(dir: string, options: AssemblyLoadOptions = {}, stackName?: string): AppModel {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new Error(`No cloud assembly at ${dir}: manifest.json is missing. Run \`cdk synth\` first, or pass --app <cdk.out dir> / --template <file>.`);
  }
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  const apps: AppModel[] = [];
  const stackPaths = new Set(Object.entries(artifacts)
    .filter(([, a]) => a.type === 'aws:cloudformation:stack')
    .map(([id, a]) => a.displayName ?? id));
  const paths = constructPaths(dir, stackPaths);
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly') {
      apps.push(loadCloudAssemblyApp(path.join(dir, artifact.properties.directoryName), options, stackName));
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const templateFile = path.join(dir, artifact.properties.templateFile);
    const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
    const assets = assetManifestFor(dir, artifactId, artifacts);
    const env = parseEnvironment(artifact.environment);
    const stackPath: string = artifact.displayName ?? artifactId;
    const name: string = artifact.properties.stackName ?? artifact.displayName ?? artifactId;
    if (stackName !== undefined && name !== stackName) continue;
    // A SamStack's template (SAM transform) goes through the SAM loader, which expands it first.
    const app = loadAnyTemplateApp(template, {
      stackName: name,
      baseDir: dir,
      region: options.region ?? env.region,
      accountId: options.accountId ?? env.account,
      parameterOverrides: options.parameterOverrides,
      assetPath: (resource, property) => assetPathOf(resource, property, assets),
      constructPathOf: (logicalId) => paths.get(`${stackPath}\0${logicalId}`),
      // `aws:cdk:path` metadata is only there when the CDK CLI asks for it; tree.json always has the paths.
      adjustFunction: (spec) => {
        if (spec.constructPath) return spec;
        const constructPath = paths.get(`${stackPath}\0${spec.logicalId}`);
        return constructPath ? { ...spec, constructPath, constructId: constructIdFromPath(constructPath) } : spec;
      },
    });
    // The HTTP fronts get their construct paths the same way (their keys in local URLs come from them).
    const fronts = app.apis.fronts.map((f) => {
      const constructPath = f.constructPath ?? paths.get(`${stackPath}\0${f.id}`);
      return constructPath ? { ...f, constructPath } : f;
    });
    apps.push({ ...app, apis: { ...app.apis, fronts } });
  }
  return mergeApps(apps);
}

/** Construct paths by `<stack path>\0<logical id>`, read from the assembly's tree.json. */
function constructPaths(dir: string, stackPaths: Set<string>): Map<string, string> {
  const paths = new Map<string, string>();
  const treeFile = path.join(dir, 'tree.json');
  if (!fs.existsSync(treeFile)) return paths;
  let tree: any;
  try {
    tree = JSON.parse(fs.readFileSync(treeFile, 'utf8')).tree;
  } catch {
    return paths; // a damaged tree.json only costs the construct-id lookup
  }
  // A stack is recognized by its path (the artifact's display name), so Stack subclasses such as SamStack count too.
  const visit = (node: any, stackPath: string | undefined) => {
    const currentStack = stackPaths.has(node?.path) ? node.path : stackPath;
    const logicalId = node?.attributes?.['aws:cdk:cloudformation:logicalId'];
    if (logicalId && currentStack) paths.set(`${currentStack}\0${logicalId}`, node.path);
    for (const child of Object.values<any>(node?.children ?? {})) visit(child, currentStack);
  };
  visit(tree, undefined);
  return paths;
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
