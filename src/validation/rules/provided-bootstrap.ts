// LT104 for custom runtimes (provided.al2023, provided.al2): the package holds an executable `bootstrap` at its root,
// or one of the function's layers provides it; otherwise every invoke fails with Runtime.InvalidEntrypoint.
import * as fs from 'fs';
import * as path from 'path';
import type { FunctionFacts } from '../context';
import type { FunctionRule } from '../rule';
import { RULES } from '../rules';
import { zipEntries } from '../zip-entries';

/** 'executable', 'not-executable' or 'missing' for the bootstrap of a package folder or zip. */
function bootstrapState(assetPath: string): 'executable' | 'not-executable' | 'missing' | undefined {
  try {
    if (fs.statSync(assetPath).isDirectory()) {
      const file = path.join(assetPath, 'bootstrap');
      if (!fs.existsSync(file)) return 'missing';
      return (fs.statSync(file).mode & 0o111) !== 0 ? 'executable' : 'not-executable'; // eslint-disable-line no-bitwise
    }
    const entry = zipEntries(fs.readFileSync(assetPath)).get('bootstrap');
    if (!entry) return 'missing';
    // A zip made elsewhere than Unix carries no mode; Lambda then runs it with its default permissions.
    return entry.mode === 0 || (entry.mode & 0o111) !== 0 ? 'executable' : 'not-executable'; // eslint-disable-line no-bitwise
  } catch {
    return undefined; // LT002 reports an unreadable package
  }
}

export const providedBootstrap: FunctionRule = {
  codes: [RULES.handlerFileMissing],
  check(fn: FunctionFacts): void {
    if (!fn.options.checkHandlerInPackage || fn.family !== 'provided' || !fn.assetPath) return;
    const state = bootstrapState(fn.assetPath);
    if (state === 'executable' || state === undefined) return;
    if (state === 'missing') {
      if (Array.isArray(fn.props.Layers) && fn.props.Layers.length > 0) return; // a layer may provide /opt/bootstrap
      fn.report(RULES.handlerFileMissing, `Runtime ${fn.runtime}: the package has no \`bootstrap\` at its root, so every invoke fails with `
        + 'Runtime.InvalidEntrypoint. Build the executable as `bootstrap` (Go: `go build -o bootstrap`), or add a layer that provides one.');
      return;
    }
    fn.report(RULES.handlerFileMissing, `Runtime ${fn.runtime}: the package's \`bootstrap\` is not executable, so every invoke fails with `
      + 'Runtime.InvalidEntrypoint (permission denied). `chmod 755 bootstrap` before packaging it.');
  },
};
