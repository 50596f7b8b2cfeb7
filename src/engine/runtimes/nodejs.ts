// The nodejs runtime family: the host's Node.js (this process's own, unless told otherwise) runs our
// bootstrap.js with a heap sized from the memory setting, and the layers' node_modules on NODE_PATH.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { RuntimeDriver } from './driver';
import { FAMILIES } from '../../model/platform';

export const nodejsDriver: RuntimeDriver = {
  family: 'nodejs',
  inlineFileName: FAMILIES.nodejs.inlineFileName,
  interpreted: true,
  interpreterSetting: 'nodeInterpreter',

  findInterpreter(_runtime, overrides) {
    const override = overrides.node;
    if (!override) {
      return { executable: process.execPath, version: process.versions.node.split('.')[0] };
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
      args: [`--max-old-space-size=${heapMb}`, '--max-http-header-size=81920', path.join(paths.runtimeDir, 'bootstrap.js')],
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
        paths.runtimeDir,
        paths.taskRoot,
      ].join(':'),
      AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    };
  },
};
