// LT104/LT105: a Python/Node.js handler's file exists in the package (asset or inline code) and defines the handler.
import type { FunctionFacts } from '../context';
import { PackageContents, nodeExports, pythonDefines } from '../package';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';
import { handlerProblem } from './handler-string';

export const handlerInPackage: FunctionRule = {
  codes: [RULES.handlerFileMissing, RULES.handlerFunctionMissing],
  check(fn: FunctionFacts): void {
    if (!fn.options.checkHandlerInPackage || (fn.family !== 'python' && fn.family !== 'nodejs')) return;
    if (handlerProblem(fn)) return; // LT101-LT103 report the handler string
    const pkg = fn.package;
    if (pkg) checkHandlerInPackage(fn, pkg);
  },
};

const PYTHON_NATIVE = ['.so', '.pyc'];
const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs', ''];

/** Checks that a Python/Node.js handler's file exists in the package and defines the handler function. */
function checkHandlerInPackage(fn: FunctionFacts, pkg: PackageContents): void {
  const handler = fn.handler;
  if (!handler || !fn.family) return;
  if (fn.family === 'python') {
    const dot = handler.lastIndexOf('.');
    if (dot <= 0) return; // LT101 reports the format
    const modulePath = handler.slice(0, dot).replace(/\./g, '/');
    const funcName = handler.slice(dot + 1);
    const candidates = [`${modulePath}.py`, `${modulePath}/__init__.py`];
    const file = candidates.find((c) => pkg.files.has(c));
    if (!file) {
      const native = [...pkg.files.keys()].some((f) => PYTHON_NATIVE.some((ext) => f.startsWith(modulePath) && f.endsWith(ext)));
      if (native) return;
      fn.report(RULES.handlerFileMissing, `Handler "${handler}": no ${candidates.join(' or ')} in the package${describeTop(pkg)}.`);
      return;
    }
    if (!fn.pass.packages.memo(pkg, `${file}#${funcName}`, () => { const t = pkg.read(file); return t === undefined || pythonDefines(t, funcName); })) {
      fn.report(RULES.handlerFunctionMissing, `Handler "${handler}": ${file} has no module-level "def ${funcName}" (or assignment to ${funcName}).`);
    }
    return;
  }
  if (fn.family === 'nodejs') {
    const slash = handler.lastIndexOf('/');
    const dot = handler.indexOf('.', slash + 1);
    if (dot <= slash + 1) return;
    const modulePath = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1).split('.')[0];
    const candidates = NODE_EXTENSIONS.map((ext) => `${modulePath}${ext}`);
    const file = candidates.find((c) => pkg.files.has(c));
    if (!file) {
      fn.report(RULES.handlerFileMissing, `Handler "${handler}": none of ${candidates.filter((c) => c !== modulePath).join(', ')} is in the package${describeTop(pkg)}.`);
      return;
    }
    if (!fn.pass.packages.memo(pkg, `${file}#${exportName}`, () => { const t = pkg.read(file); return t === undefined || nodeExports(t, exportName); })) {
      fn.report(RULES.handlerFunctionMissing, `Handler "${handler}": ${file} does not export "${exportName}" (looked for exports.${exportName}, module.exports, export const/function ${exportName}, export { ${exportName} }).`);
    }
  }
}

function describeTop(pkg: PackageContents): string {
  const top = [...new Set([...pkg.files.keys()].map((f) => f.split('/')[0]))].slice(0, 8);
  return top.length ? ` (top level: ${top.join(', ')})` : ' (the package is empty)';
}
