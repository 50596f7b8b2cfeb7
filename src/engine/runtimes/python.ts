// The python runtime family: a host `python3.X` (or `python3`) runs our bootstrap.py unbuffered, with the
// layers' python folders and the bootstrap's folder on PYTHONPATH.
import * as path from 'path';
import { RuntimeDriver } from './driver';
import { firstInterpreter } from './interpreters';
import { FAMILIES } from '../../model/platform';

export const pythonDriver: RuntimeDriver = {
  family: 'python',
  inlineFileName: FAMILIES.python.inlineFileName,
  interpreted: true,
  interpreterSetting: 'pythonInterpreter',

  findInterpreter(runtime, overrides) {
    const override = overrides.python;
    const wanted = runtime.replace(/^python/, ''); // "3.12"
    const candidates = override ? [override] : [`python${wanted}`, 'python3'];
    const errors: string[] = [];
    const found = firstInterpreter(candidates, ['-c', 'import sys;print(sys.executable);print("%d.%d" % sys.version_info[:2])'], errors);
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
    return { command: interpreter!.executable, args: ['-u', path.join(paths.runtimeDir, 'bootstrap.py')] };
  },

  environment({ paths, hostVersion }) {
    const search = hostVersion
      ? [path.join(paths.optDir, 'python', 'lib', `python${hostVersion}`, 'site-packages'), path.join(paths.optDir, 'python'), paths.runtimeDir]
      : [paths.runtimeDir];
    return { PYTHONPATH: search.join(':') };
  },
  pinnedVariables: ['PYTHONPATH'],
};
