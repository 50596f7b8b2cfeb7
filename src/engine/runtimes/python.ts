// The python runtime family: a host `python3.X` (or `python3`) runs our bootstrap.py unbuffered, with the
// layers' python folders and the bootstrap's folder on PYTHONPATH.
import * as path from 'path';
import { RuntimeDriver } from './driver';
import { firstInterpreter } from './interpreters';
import { discoverPythons } from '../../host/interpreter-discovery';
import { FAMILIES } from '../../model/platform';
import { runtimeLibraryPaths } from '../runtime-libs/runtime-libraries';

export const pythonDriver: RuntimeDriver = {
  family: 'python',
  inlineFileName: FAMILIES.python.inlineFileName,
  interpreted: true,
  interpreterSetting: 'pythonInterpreter',

  findInterpreter(runtime, overrides) {
    const override = overrides.python;
    const wanted = runtime.replace(/^python/, ''); // "3.12"
    // The declared version first: on PATH, then pyenv/asdf/uv/mise installs; the host's python3 last.
    const candidates = override ? [override] : [`python${wanted}`, ...discoverPythons(wanted), 'python3'];
    const errors: string[] = [];
    // A virtualenv's interpreter keeps its venv (its path is not resolved to the base interpreter).
    const found = firstInterpreter(candidates, ['-c', 'import sys;print(sys.executable);print("%d.%d" % sys.version_info[:2]);' +
      'print("venv" if sys.prefix != sys.base_prefix else "")'], errors);
    if (found) return found;
    throw new Error(
      `No Python interpreter found for runtime '${runtime}' (tried ${errors.join('; ')}). ` +
      'Install Python 3 or set the interpreter with the `pythonInterpreter` option / LAMBDA_TWIN_PYTHON.',
    );
  },

  versionOf(runtime) {
    return /^python(\d+\.\d+)$/.exec(runtime)?.[1];
  },

  launch({ interpreter, paths }) {
    return { command: interpreter!.executable, args: ['-u', '-S', path.join(paths.runtimeDir, 'bootstrap.py')] };
  },

  environment({ runtime, paths, hostVersion }) {
    // -S at launch keeps the host's site-packages out; layer folders follow the function's runtime version, not
    // the host's; Lambda's own libraries (boto3) come last.
    const version = /^python(\d+\.\d+)$/.exec(runtime)?.[1] ?? hostVersion;
    const search = version
      ? [path.join(paths.optDir, 'python', 'lib', `python${version}`, 'site-packages'), path.join(paths.optDir, 'python'), paths.runtimeDir]
      : [paths.runtimeDir];
    return { PYTHONPATH: [...search, ...runtimeLibraryPaths(runtime)].join(':') };
  },
  pinnedVariables: ['PYTHONPATH'],
};
