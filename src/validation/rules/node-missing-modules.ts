// LT110: every bare module the handler (and the package files it imports, transitively) loads statically is in the
// package's node_modules, a layer's nodejs/node_modules, built into Node.js, or provided by the runtime (the AWS SDK
// v3 from nodejs18.x, v2 before; cfn-response only for inline code). Dynamic imports are not findings.
import type { FunctionFacts } from '../context';
import type { PackageContents } from '../package';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';
import { NodeHandler, bareModuleName, javaScriptOf, layerContents, nodeHandler, resolveRelative, resolvesBareModule } from './node-sources';

/** Files followed through relative imports at most (a bundle is one file; an unbundled app a few dozen). */
const MAX_FILES = 200;

export const nodeMissingModules: FunctionRule = {
  codes: [RULES.nodeModuleMissing],
  check(fn: FunctionFacts): void {
    const target = nodeHandler(fn);
    if (!target) return;
    const layers = layerContents(fn);
    if (!layers) return; // an imported or unreadable layer may provide anything
    // Functions sharing a package, runtime and (no) layers share the answer.
    const missing = layers.length === 0
      ? fn.pass.packages.memo(target.pkg, `node-missing:${fn.runtime}:${fn.inlineCode !== undefined}:${target.file}`, () => missingModules(fn, target, layers))
      : missingModules(fn, target, layers);
    if (!missing.size) return;
    const list = [...missing].map(([name, sites]) => `"${name}" (${sites.slice(0, 3).join(', ')})`).join(', ');
    const inlineNote = fn.inlineCode === undefined && missing.has('cfn-response') ? ' cfn-response is provided only to inline (ZipFile) code.' : '';
    fn.report(RULES.nodeModuleMissing, `Handler "${fn.handler}" loads ${list}, which ${missing.size === 1 ? 'is' : 'are'} not in the package's node_modules, a layer's nodejs/node_modules, Node.js's built-in modules or the ${fn.runtime} runtime: the first invoke fails with Runtime.ImportModuleError.${inlineNote}`);
  },
};

function missingModules(fn: FunctionFacts, target: NodeHandler, layers: readonly PackageContents[]): Map<string, string[]> {
  const { pkg } = target;
  const missing = new Map<string, string[]>();
  const seen = new Set([target.file]);
  const queue = [target.file];
  while (queue.length && seen.size <= MAX_FILES) {
    const file = queue.shift()!;
    const facts = javaScriptOf(fn, pkg, file);
    if (!facts?.parsed) continue;
    for (const { specifier, line } of facts.imports) {
      const relative = resolveRelative(pkg, file, specifier);
      if (relative) {
        if (!seen.has(relative)) { seen.add(relative); queue.push(relative); }
        continue;
      }
      const name = bareModuleName(specifier);
      if (!name || resolvesBareModule(fn, pkg, layers, file, specifier)) continue;
      missing.set(name, [...(missing.get(name) ?? []), `${file}:${line}`]);
    }
  }
  return missing;
}
