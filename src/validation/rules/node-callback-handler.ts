// LT106/LT107: Node.js 24 managed runtimes reject callback handlers (Runtime.CallbackHandlerDeprecated at init) and no
// longer give context.succeed/fail/done: an error on nodejs24.x and later, a warning on earlier runtimes.
import { NODE_CALLBACK_HANDLERS_REMOVED } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES, RuleDefinition } from '../rules';
import { javaScriptOf, nodeHandler, nodeMajor } from './node-sources';

export const nodeCallbackHandler: FunctionRule = {
  codes: [RULES.callbackHandler, RULES.callbackHandlerLater],
  check(fn: FunctionFacts): void {
    const target = nodeHandler(fn);
    if (!target) return;
    // Functions sharing the package, handler and runtime share the answer.
    const findings = fn.pass.packages.memo(target.pkg, `callback:${target.file}:${target.exportName}:${fn.runtime}`, () => {
      const found: Array<[RuleDefinition, string]> = [];
      const facts = javaScriptOf(fn, target.pkg, target.file);
      if (!facts?.parsed) return found;
      const handler = facts.exportedFunctions.get(target.exportName);
      const problems: string[] = [];
      if (handler && !handler.async && handler.params >= 3) {
        problems.push(`${target.file}:${handler.line} exports "${target.exportName}" as a callback handler (${handler.params} parameters)`);
      }
      const contextNames = new Set(['context', handler?.contextName].filter((n): n is string => !!n));
      const calls = facts.contextCalls.filter((c) => contextNames.has(c.object));
      if (calls.length) {
        problems.push(`it calls ${[...new Set(calls.map((c) => `${c.object}.${c.method}()`))].join(', ')} (${calls.slice(0, 3).map((c) => `${target.file}:${c.line}`).join(', ')})`);
      }
      if (!problems.length) return found;
      const major = nodeMajor(fn);
      if (major >= NODE_CALLBACK_HANDLERS_REMOVED) {
        found.push([RULES.callbackHandler, `Handler "${fn.handler}": ${problems.join('; ')}. ${fn.runtime} rejects callback handlers at init (Runtime.CallbackHandlerDeprecated) and has no context.succeed/fail/done.`]);
      } else if (!Number.isNaN(major)) {
        found.push([RULES.callbackHandlerLater, `Handler "${fn.handler}": ${problems.join('; ')}. This works on ${fn.runtime} but will break when you move to nodejs24.x.`]);
      }
      return found;
    });
    for (const [rule, message] of findings) fn.report(rule, message);
  },
};
