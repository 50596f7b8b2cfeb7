// Handler rules: the handler string's syntax and its format per runtime family (LT101-LT103), then the
// handler-in-package check (LT104/LT105) over the asset or the inline code.
import { FunctionFacts } from './context';
import { checkHandlerInPackage, inlinePackage, packageAt } from './package';
import { RULES } from './rules';
import { FAMILIES, LIMITS } from '../model/platform';

/** Checks the handler string (LT101-LT103), then the package contents (LT104/LT105). */
export function checkHandler(fn: FunctionFacts): void {
  if (fn.isImage) return; // image functions have no handler
  const handler = fn.props.Handler;
  if (handler === undefined) {
    fn.report(RULES.handlerSyntax, 'A zip-packaged function needs a handler.');
    return;
  }
  if (typeof handler !== 'string') return; // token: checked at deploy
  if (handler.length < 1 || handler.length > LIMITS.handlerMax || /\s/.test(handler)) {
    fn.report(RULES.handlerSyntax, `Handler "${handler}" must be 1-${LIMITS.handlerMax} characters without whitespace (it has ${handler.length}).`);
    return;
  }
  const format = fn.family && fn.family !== 'provided' ? FAMILIES[fn.family].handler : undefined;
  const traversal = handler.split('/').some((s) => s === '..' || s === '.');
  if (format && (!format.pattern.test(handler) || traversal)) {
    fn.report(RULES.handlerFormat, `Handler "${handler}" is not a valid ${fn.runtime} handler; expected ${format.example}.`);
    return;
  }
  if (fn.inlineCode !== undefined && !handler.startsWith('index.')) {
    fn.report(RULES.inlineHandler, `Handler "${handler}" cannot be found in inline code, which Lambda stores as index.*; use "index.${handler.split('.').pop()}".`);
    return;
  }
  if (!fn.options.checkHandlerInPackage || (fn.family !== 'python' && fn.family !== 'nodejs')) return;
  const pkg = fn.inlineCode !== undefined
    ? inlinePackage(FAMILIES[fn.family].inlineFileName ?? 'index', fn.inlineCode)
    : fn.assetPath ? packageAt(fn.assetPath) : undefined;
  if (pkg) checkHandlerInPackage(fn, pkg);
}
