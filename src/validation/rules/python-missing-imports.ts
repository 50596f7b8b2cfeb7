// LT111: every module a Python handler (and the package modules it imports, transitively) imports at module level is
// in the package, a layer's python/ folders, the standard library, or provided by the runtime (boto3, botocore …).
// Imports inside functions, classes and try/if blocks are not findings.
import { PYTHON_RUNTIME_PACKAGES, PYTHON_STANDARD_LIBRARY } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { PackageContents } from '../package';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';
import { handlerProblem } from './handler-string';
import { layerContents } from './node-sources';
import { pythonTopLevelImports } from '../sources/python';

const MAX_FILES = 200;
const PROVIDED = new Set(PYTHON_RUNTIME_PACKAGES);

export const pythonMissingImports: FunctionRule = {
  codes: [RULES.pythonModuleMissing],
  check(fn: FunctionFacts): void {
    if (fn.family !== 'python' || !fn.options.checkHandlerInPackage || !fn.handler || handlerProblem(fn)) return;
    const pkg = fn.package;
    if (!pkg) return;
    const layers = layerContents(fn);
    if (!layers) return;
    const dot = fn.handler.lastIndexOf('.');
    const modulePath = fn.handler.slice(0, dot).replace(/\./g, '/');
    const first = [`${modulePath}.py`, `${modulePath}/__init__.py`].find((c) => pkg.files.has(c));
    if (!first) return; // LT104
    const missing = layers.length === 0
      ? fn.pass.packages.memo(pkg, `py-missing:${first}`, () => missingImports(fn, pkg, layers, first))
      : missingImports(fn, pkg, layers, first);
    if (!missing.size) return;
    const list = [...missing].map(([name, sites]) => `"${name}" (${sites.slice(0, 3).join(', ')})`).join(', ');
    fn.report(RULES.pythonModuleMissing, `Handler "${fn.handler}" imports ${list} at module level, which ${missing.size === 1 ? 'is' : 'are'} not in the package, a layer's python/ folder, the standard library or the ${fn.runtime} runtime: the first invoke fails with Runtime.ImportModuleError.`);
  },
};

/** Names importable from a package's roots (a folder, or a module file `name.py` / `name.cpython-…so`). */
function topLevelNames(fn: FunctionFacts, pkg: PackageContents, roots: Array<string | RegExp>, key: string): ReadonlySet<string> {
  return fn.pass.packages.memo(pkg, key, () => {
    const names = new Set<string>();
    for (const file of pkg.files.keys()) {
      for (const root of roots) {
        const prefix = typeof root === 'string' ? (file.startsWith(root) ? root : undefined) : root.exec(file)?.[0];
        if (prefix === undefined) continue;
        const rest = file.slice(prefix.length);
        const head = rest.split('/')[0];
        names.add(rest.includes('/') ? head : head.split('.')[0]);
      }
    }
    return names;
  });
}

function missingImports(fn: FunctionFacts, pkg: PackageContents, layers: readonly PackageContents[], first: string): Map<string, string[]> {
  const available = topLevelNames(fn, pkg, [''], 'py-names');
  const fromLayers = layers.map((layer) => topLevelNames(fn, layer, ['python/', /^python\/lib\/python\d+\.\d+\/site-packages\//], 'py-layer-names'));
  const missing = new Map<string, string[]>();
  const seen = new Set([first]);
  const queue = [first];
  while (queue.length && seen.size <= MAX_FILES) {
    const file = queue.shift()!;
    const imports = fn.pass.packages.memo(pkg, `py:${file}`, () => {
      const text = pkg.read(file);
      // A module that edits sys.path may import from anywhere: leave it alone.
      return text === undefined || text.includes('sys.path') ? [] : pythonTopLevelImports(text);
    });
    for (const { module, line } of imports) {
      const local = [`${module}.py`, `${module}/__init__.py`].find((c) => pkg.files.has(c));
      if (local) {
        if (!seen.has(local)) { seen.add(local); queue.push(local); }
        continue;
      }
      if (PYTHON_STANDARD_LIBRARY.has(module) || PROVIDED.has(module) || available.has(module)) continue;
      if (fromLayers.some((names) => names.has(module))) continue;
      missing.set(module, [...(missing.get(module) ?? []), `${file}:${line}`]);
    }
  }
  return missing;
}
