// LT504/LT505: a layer's content sits in the folders (under /opt) its compatible runtimes put on their search path;
// a layer that declares no runtimes and has nothing on any path is only warned about (LT505).
import { FAMILIES, GENERIC_LAYER_PATHS, runtimeFamily } from '../../model/platform';
import type { LayerFacts } from '../context';
import type { PackageContents } from '../package';
import type { LayerRule } from '../rule';
import { RULES } from '../rules';

const FAMILY_LAYER_PATHS = Object.values(FAMILIES).flatMap((f) => (f.layerPaths ? [f.layerPaths] : []));

export const layerLayout: LayerRule = {
  codes: [RULES.layerLayout, RULES.layerOffPath],
  check: checkLayerLayout,
};

/** LT504 for a layer resource whose content is a local asset. */
function checkLayerLayout(layer: LayerFacts): void {
  const props = layer.props;
  const pkg = layer.package;
  if (!pkg) return;
  const runtimes: string[] = Array.isArray(props.CompatibleRuntimes) ? props.CompatibleRuntimes.filter((r: unknown) => typeof r === 'string') : [];
  const problem = layoutProblem(pkg, runtimes);
  if (!problem) return;
  // Without declared runtimes the content may be meant for an absolute path (aws-cdk-lib's AwsCliLayer ships awscli/,
  // run as /opt/awscli/aws): that works as deployed, so it is only a warning.
  if (runtimes.length === 0 && pkg.files.size > 0) layer.report(RULES.layerOffPath, `${problem} Code that loads it by absolute path (/opt/...) still works.`);
  else layer.report(RULES.layerLayout, problem);
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
