// Layer rules: count and compatibility seen from the function (LT501-LT503), and the folder layout of a layer's
// content for its compatible runtimes (LT504), since layers are extracted to /opt and only some folders are on a path.
import { CfnResource } from 'aws-cdk-lib';
import { FindingSink, FunctionFacts, LAYER_TYPE, StackIndex, referencedLogicalId, render } from './context';
import { PackageContents, packageAt } from './package';
import { RULES } from './rules';
import { FAMILIES, GENERIC_LAYER_PATHS, LIMITS, runtimeFamily } from '../model/platform';

const MAX_LAYERS = LIMITS.layersMax;
const FAMILY_LAYER_PATHS = Object.values(FAMILIES).flatMap((f) => (f.layerPaths ? [f.layerPaths] : []));

/** LT501-LT503 for a function's layers. */
export function checkFunctionLayers(fn: FunctionFacts): void {
  const layers = fn.props.Layers;
  if (!Array.isArray(layers)) return;
  if (layers.length > MAX_LAYERS) {
    fn.report(RULES.layerCount, `The function uses ${layers.length} layers; the maximum is ${MAX_LAYERS}.`);
  }
  for (const layer of layers) {
    const id = referencedLogicalId(layer);
    const resource = id ? fn.index.resource(id) : undefined;
    if (!resource || resource.cfnResourceType !== LAYER_TYPE) continue; // imported layer: compatibility unknown
    const props = render(resource).props;
    const runtimes = props.CompatibleRuntimes;
    if (fn.runtime && Array.isArray(runtimes) && runtimes.every((r) => typeof r === 'string') && !runtimes.includes(fn.runtime)) {
      fn.report(RULES.layerRuntime, `Layer ${resource.node.path} supports [${runtimes.join(', ')}], not the function's runtime ${fn.runtime}.`);
    }
    const archs = props.CompatibleArchitectures;
    if (Array.isArray(archs) && archs.every((a) => typeof a === 'string') && !archs.includes(fn.architecture)) {
      fn.report(RULES.layerArchitecture, `Layer ${resource.node.path} supports [${archs.join(', ')}], not the function's architecture ${fn.architecture}.`);
    }
  }
}

/** LT504 for a layer resource whose content is a local asset. */
export function checkLayerLayout(layer: CfnResource, index: StackIndex, sink: FindingSink): void {
  const props = render(layer).props;
  const assetPath = index.assetPath(props.Content?.S3Key);
  const pkg = assetPath ? packageAt(assetPath) : undefined;
  if (!pkg) return;
  const runtimes: string[] = Array.isArray(props.CompatibleRuntimes) ? props.CompatibleRuntimes.filter((r: unknown) => typeof r === 'string') : [];
  const problem = layoutProblem(pkg, runtimes);
  if (problem) sink.report(layer, RULES.layerLayout, problem);
}

/** Why this layer content would not be on the runtimes' paths, or undefined when it is. */
export function layoutProblem(pkg: PackageContents, runtimes: string[]): string | undefined {
  const files = [...pkg.files.keys()];
  if (files.length === 0) return 'The layer is empty.';
  const onPath = (patterns: readonly RegExp[]) => files.some((f) => patterns.some((p) => p.test(f)));
  const top = [...new Set(files.map((f) => (f.includes('/') ? `${f.split('/')[0]}/` : f)))].slice(0, 8).join(', ');
  if (onPath(GENERIC_LAYER_PATHS.patterns)) return undefined;
  if (runtimes.length === 0) {
    const any = FAMILY_LAYER_PATHS.some((l) => onPath(l.patterns));
    return any ? undefined : `The layer's content (${top}) is on no runtime's path; expected one of ${FAMILY_LAYER_PATHS.map((l) => l.expected).join(', ')}, or ${GENERIC_LAYER_PATHS.expected}.`;
  }
  const problems: string[] = [];
  for (const runtime of runtimes) {
    const family = runtimeFamily(runtime);
    const paths = family ? FAMILIES[family].layerPaths : undefined;
    if (!paths) {
      problems.push(`${runtime}: expected ${GENERIC_LAYER_PATHS.expected}`);
      continue;
    }
    if (!onPath(paths.patterns)) {
      problems.push(`${runtime}: expected ${paths.expected} or ${GENERIC_LAYER_PATHS.expected}`);
      continue;
    }
    if (family === 'python') {
      const versions = new Set(files.map((f) => /^python\/lib\/(python\d+\.\d+)\/site-packages\//.exec(f)?.[1]).filter(Boolean));
      const elsewhere = files.some((f) => f.startsWith('python/') && !f.startsWith('python/lib/'));
      if (versions.size && !elsewhere && !versions.has(runtime)) {
        problems.push(`${runtime}: packages are under python/lib/{${[...versions].join(',')}}/site-packages/, expected python/lib/${runtime}/site-packages/ or python/`);
      }
    }
  }
  return problems.length ? `The layer's content (${top}) would not be on the runtime's path for ${problems.join('; ')}.` : undefined;
}
