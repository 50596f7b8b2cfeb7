// LT108/LT109: the handler file's syntax agrees with how Node.js will load it (ESM or CommonJS, by extension and the
// nearest package.json `type`): ESM syntax in a file loaded as CommonJS, CommonJS bindings in an ES module, or both
// in one file (which loads neither way).
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES, RuleDefinition } from '../rules';
import { javaScriptOf, moduleFormatOf, nodeHandler, nodeMajor } from './node-sources';

/** From this Node.js major version, require() of a typeless .js file with ES module syntax loads it as ESM. */
const SYNTAX_DETECTION_FROM = 20;

export const nodeModuleFormat: FunctionRule = {
  codes: [RULES.moduleFormat, RULES.moduleFormatDetected],
  check(fn: FunctionFacts): void {
    const target = nodeHandler(fn);
    if (!target) return;
    // Functions sharing the package, handler and runtime share the answer.
    const findings = fn.pass.packages.memo(target.pkg, `format:${target.file}:${target.exportName}:${fn.runtime}`, () => {
      const found: Array<[RuleDefinition, string]> = [];
      const facts = javaScriptOf(fn, target.pkg, target.file);
      if (!facts?.parsed) return found;
      const loaded = moduleFormatOf(fn, target.pkg, target.file);
      if (!loaded) return found;
      const { esmSyntax: esm, commonJsBinding: cjs } = facts;
      const at = (site: { line: number; what: string }) => `${site.what} at ${target.file}:${site.line}`;
      if (esm && cjs) {
        found.push([RULES.moduleFormat, `${target.file} mixes ES module syntax (${at(esm)}) with CommonJS (${at(cjs)}): as CommonJS the import is a SyntaxError, as an ES module ${cjs.what.split('.')[0]} is not defined, so it loads neither way (${loaded.because}).`]);
      } else if (esm && loaded.format === 'commonjs') {
        if (loaded.explicit || nodeMajor(fn) < SYNTAX_DETECTION_FROM) {
          found.push([RULES.moduleFormat, `${target.file} uses ES module syntax (${at(esm)}) but Node.js loads it as CommonJS (${loaded.because}): "Cannot use import statement outside a module".`]);
        } else {
          found.push([RULES.moduleFormatDetected, `${target.file} uses ES module syntax (${at(esm)}) but ${loaded.because}: it loads only because Node.js ${nodeMajor(fn)} detects module syntax.`]);
        }
      } else if (cjs && loaded.format === 'module') {
        found.push([RULES.moduleFormat, `${target.file} uses CommonJS (${at(cjs)}) but Node.js loads it as an ES module (${loaded.because}): "${cjs.what.split('.')[0]} is not defined in ES module scope".`]);
      }
      return found;
    });
    for (const [rule, message] of findings) fn.report(rule, message);
  },
};
