// The ruby runtime family: a host `ruby3.X` (or `ruby`) runs our bootstrap.rb, with the function's bundle and the
// layers' gems on GEM_PATH and their lib folders on RUBYLIB.
import * as path from 'path';
import { RuntimeDriver } from './driver';
import { firstInterpreter } from './interpreters';

export const rubyDriver: RuntimeDriver = {
  family: 'ruby',
  interpreted: true,
  interpreterSetting: 'LAMBDA_TWIN_RUBY',

  findInterpreter(runtime, overrides) {
    const override = overrides.ruby ?? process.env.LAMBDA_TWIN_RUBY;
    const wanted = runtime.replace(/^ruby/, ''); // "3.3"
    const candidates = override ? [override] : [`ruby${wanted}`, 'ruby'];
    const errors: string[] = [];
    const found = firstInterpreter(candidates, ['-e', 'puts RbConfig.ruby; puts RUBY_VERSION[/\\A\\d+\\.\\d+/]'], errors);
    if (found) return found;
    throw new Error(
      `No Ruby interpreter found for runtime '${runtime}' (tried ${errors.join('; ')}). ` +
      'Install Ruby (Debian/Ubuntu: `apt-get install ruby`) or set the interpreter with LAMBDA_TWIN_RUBY.',
    );
  },

  versionOf(runtime) {
    return /^ruby(\d+\.\d+)$/.exec(runtime)?.[1];
  },

  launch({ interpreter, paths }) {
    return { command: interpreter!.executable, args: [path.join(paths.runtimeDir, 'bootstrap.rb')] };
  },

  environment({ runtime, paths }) {
    const opt = paths.optDir;
    // Gems live in folders named for the ABI version (`3.3.0` for ruby3.3): the function's bundle, then the layers'.
    const abi = /^ruby(\d+\.\d+)/.exec(runtime)?.[1];
    return {
      GEM_PATH: abi
        ? [path.join(paths.taskRoot, 'vendor', 'bundle', 'ruby', `${abi}.0`), path.join(opt, 'ruby', 'gems', `${abi}.0`)].join(':')
        : path.join(opt, 'ruby', 'gems'),
      RUBYLIB: [paths.taskRoot, path.join(opt, 'ruby', 'lib')].join(':'),
    };
  },
};
