// LT104/LT105 for Java: the handler's class is in the package (its root, lib/*.jar, or a jar that is the package)
// and has a public method of that name with a signature Lambda's Java runtime accepts (or, for a bare class name,
// implements RequestHandler / RequestStreamHandler). Read from the class files, without a JVM.
import * as fs from 'fs';
import type { FunctionFacts } from '../context';
import { javaClassIndex, javaHandlerProblem, JavaClassIndex } from '../java-class-file';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';
import { handlerProblem } from './handler-string';

const indexes = new Map<string, { stamp: string; index?: JavaClassIndex }>();

/** The package's class index, read once per asset (and again when it changes); undefined when unreadable. */
function indexOf(assetPath: string): JavaClassIndex | undefined {
  let stamp: string;
  try {
    const stat = fs.statSync(assetPath);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
  const cached = indexes.get(assetPath);
  if (cached && cached.stamp === stamp) return cached.index;
  let index: JavaClassIndex | undefined;
  try {
    index = javaClassIndex(assetPath);
  } catch {
    index = undefined; // LT002 reports an unreadable package
  }
  indexes.set(assetPath, { stamp, index });
  return index;
}

export const javaHandlerInPackage: FunctionRule = {
  codes: [RULES.handlerFileMissing, RULES.handlerFunctionMissing],
  check(fn: FunctionFacts): void {
    if (!fn.options.checkHandlerInPackage || fn.family !== 'java' || !fn.handler || !fn.assetPath) return;
    if (handlerProblem(fn)) return; // LT101-LT103 report the handler string
    const index = indexOf(fn.assetPath);
    if (!index || index.names.length === 0) return; // no classes at all: not a Java build output to judge
    const problem = javaHandlerProblem(index, fn.handler);
    if (!problem) return;
    if (problem.kind === 'class') {
      // A class could come from a layer's java/lib; only a function without layers is known to miss it.
      if (fn.localLayers.length > 0 || (Array.isArray(fn.props.Layers) && fn.props.Layers.length > 0)) return;
      const found = problem.found.length ? ` Classes found: ${problem.found.join(', ')}.` : ' The package has only library classes.';
      fn.report(RULES.handlerFileMissing, `Handler "${fn.handler}": class ${problem.className} is not in the package (its root or lib/*.jar).${found}`);
      return;
    }
    const methods = problem.methods.length ? ` Its public methods: ${problem.methods.join(', ')}.` : ' It has no public methods.';
    fn.report(RULES.handlerFunctionMissing, problem.methodName
      ? `Handler "${fn.handler}": ${problem.className} has no public method ${problem.methodName} taking (event), (event, Context), (InputStream, OutputStream[, Context]) or nothing.${methods}`
      : `Handler "${fn.handler}": ${problem.className} does not implement RequestHandler or RequestStreamHandler; name a method with \`::method\`.${methods}`);
  },
};
