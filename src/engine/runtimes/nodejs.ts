// The nodejs runtime family: the host's Node.js (this process's own, unless told otherwise) runs our
// bootstrap.js with a heap sized from the memory setting, and the layers' node_modules on NODE_PATH.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RuntimeDriver } from './driver';
import { discoverNodes } from '../../host/interpreter-discovery';
import { FAMILIES } from '../../model/platform';
import { runtimeLibraryPaths } from '../runtime-libs/runtime-libraries';

export const nodejsDriver: RuntimeDriver = {
  family: 'nodejs',
  inlineFileName: FAMILIES.nodejs.inlineFileName,
  interpreted: true,
  interpreterSetting: 'nodeInterpreter',

  findInterpreter(runtime, overrides) {
    const override = overrides.node;
    const current = { executable: process.execPath, version: process.versions.node.split('.')[0] };
    const wanted = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
    if (!override) {
      if (!wanted || wanted === current.version) return current;
      // The declared major from nvm/fnm/volta/mise/asdf installs, else the Node.js running lambda-twin.
      const installed = discoverNodes(wanted)[0];
      return installed ? { executable: installed, version: wanted } : current;
    }
    const out = execFileSync(override, ['-p', 'process.execPath + "\\n" + process.versions.node'], { encoding: 'utf8', timeout: 15_000 })
      .trim().split('\n');
    return { executable: fs.realpathSync(out[0]), version: out[1].split('.')[0] };
  },

  versionOf(runtime) {
    return /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  },

  launch({ interpreter, paths, memorySizeMb }) {
    // Lambda sizes the Node heap from the memory setting, so a heap overflow fails as it does there.
    const heapMb = Math.max(16, Math.floor(memorySizeMb * 0.85));
    return {
      command: interpreter!.executable,
      // One V8 background thread, not four: every freeze and thaw stops and wakes each thread of the environment,
      // and on a small host those wake-ups are most of a warm invoke's cost (docs/differences.md).
      args: [`--max-old-space-size=${heapMb}`, '--max-http-header-size=81920', '--v8-pool-size=1', path.join(paths.runtimeDir, 'bootstrap.js')],
    };
  },

  environment({ runtime, paths }) {
    const opt = paths.optDir;
    const major = /^nodejs(\d+)/.exec(runtime)?.[1];
    return {
      NODE_PATH: [
        ...(major ? [path.join(opt, 'nodejs', `node${major}`, 'node_modules')] : []),
        path.join(opt, 'nodejs', 'node_modules'),
        path.join(paths.runtimeDir, 'node_modules'),
        ...runtimeLibraryPaths(runtime), // Lambda's AWS SDK, in /var/runtime/node_modules there
        paths.runtimeDir,
        paths.taskRoot,
      ].join(':'),
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    };
  },
};
