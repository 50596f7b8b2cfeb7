// LT101-LT103: the handler string's syntax, its format for the runtime family, and `index.*` for inline code.
import { FAMILIES, LIMITS } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES, RuleDefinition } from '../rules';

/** What is wrong with the handler string, or undefined when it is well formed (or not checkable at synth). */
export function handlerProblem(fn: FunctionFacts): HandlerProblem | undefined {
  return fn.once('handler-problem', () => findHandlerProblem(fn));
}

interface HandlerProblem { readonly rule: RuleDefinition; readonly message: string }

function findHandlerProblem(fn: FunctionFacts): HandlerProblem | undefined {
  if (fn.isImage) return undefined; // image functions have no handler
  const handler = fn.props.Handler;
  if (handler === undefined) return { rule: RULES.handlerSyntax, message: 'A zip-packaged function needs a handler.' };
  if (typeof handler !== 'string') return undefined; // token: checked at deploy
  if (handler.length < 1 || handler.length > LIMITS.handlerMax || /\s/.test(handler)) {
    return { rule: RULES.handlerSyntax, message: `Handler "${handler}" must be 1-${LIMITS.handlerMax} characters without whitespace (it has ${handler.length}).` };
  }
  const format = fn.family && fn.family !== 'provided' ? FAMILIES[fn.family].handler : undefined;
  const traversal = handler.split('/').some((s) => s === '..' || s === '.');
  if (format && (!format.pattern.test(handler) || traversal)) {
    return { rule: RULES.handlerFormat, message: `Handler "${handler}" is not a valid ${fn.runtime} handler; expected ${format.example}.` };
  }
  if (fn.inlineCode !== undefined && !handler.startsWith('index.')) {
    return { rule: RULES.inlineHandler, message: `Handler "${handler}" cannot be found in inline code, which Lambda stores as index.*; use "index.${handler.split('.').pop()}".` };
  }
  return undefined;
}

export const handlerString: FunctionRule = {
  codes: [RULES.handlerFormat, RULES.handlerSyntax, RULES.inlineHandler],
  check(fn: FunctionFacts): void {
    const problem = handlerProblem(fn);
    if (problem) fn.report(problem.rule, problem.message);
  },
};
