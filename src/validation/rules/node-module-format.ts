// LT108/LT109: the handler file's syntax agrees with how Node.js will load it (ESM or CommonJS, by extension and the
// nearest package.json `type`): ESM syntax in a file loaded as CommonJS, CommonJS bindings in an ES module, or both
// in one file (which loads neither way).
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';
import { javaScriptOf, moduleFormatOf, nodeHandler, nodeMajor } from './node-sources';

/** From this Node.js major version, require() of a typeless .js file with ES module syntax loads it as ESM. */
const SYNTAX_DETECTION_FROM = 20;

export const nodeModuleFormat: FunctionRule = {
  codes: [RULES.moduleFormat, RULES.moduleFormatDetected],
  check(fn: FunctionFacts): void {
    const target = nodeHandler(fn);
    if (!target) return;
    const facts = javaScriptOf(fn, target.pkg, target.file);
    if (!facts?.parsed) return;
    const loaded = moduleFormatOf(fn, target.pkg, target.file);
    if (!loaded) return;
    const { esmSyntax: esm, commonJsBinding: cjs } = facts;
    const at = (site: { line: number; what: string }) => `${site.what} at ${target.file}:${site.line}`;
    if (esm && cjs) {
      fn.report(RULES.moduleFormat, `${target.file} mixes ES module syntax (${at(esm)}) with CommonJS (${at(cjs)}): as CommonJS the import is a SyntaxError, as an ES module ${cjs.what.split('.')[0]} is not defined, so it loads neither way (${loaded.because}).`);
    } else if (esm && loaded.format === 'commonjs') {
      if (loaded.explicit || nodeMajor(fn) < SYNTAX_DETECTION_FROM) {
        fn.report(RULES.moduleFormat, `${target.file} uses ES module syntax (${at(esm)}) but Node.js loads it as CommonJS (${loaded.because}): "Cannot use import statement outside a module".`);
      } else {
        fn.report(RULES.moduleFormatDetected, `${target.file} uses ES module syntax (${at(esm)}) but ${loaded.because}: it loads only because Node.js ${nodeMajor(fn)} detects module syntax.`);
      }
    } else if (cjs && loaded.format === 'module') {
      fn.report(RULES.moduleFormat, `${target.file} uses CommonJS (${at(cjs)}) but Node.js loads it as an ES module (${loaded.because}): "${cjs.what.split('.')[0]} is not defined in ES module scope".`);
    }
  },
};
