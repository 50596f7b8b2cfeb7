// Custom runtimes (provided.al2023, provided.al2, go1.x): the function's own `bootstrap` executable, in the task
// root or else in /opt, is the runtime; there is no host interpreter to find.
import * as fs from 'fs';
import * as path from 'path';
import { RuntimeDriver } from './driver';

export const providedDriver: RuntimeDriver = {
  family: 'provided',
  alsoRuns: ['go'],
  interpreted: false,

  launch({ paths, hostTaskRoot, hostOptDir }) {
    const hostCandidates = [path.join(hostTaskRoot, 'bootstrap'), path.join(hostOptDir, 'bootstrap')];
    const found = hostCandidates.findIndex((c) => fs.existsSync(c));
    if (found < 0) return { missing: [path.join(paths.taskRoot, 'bootstrap'), path.join(paths.optDir, 'bootstrap')] };
    return { command: path.join(found === 0 ? paths.taskRoot : paths.optDir, 'bootstrap'), args: [] };
  },

  environment() {
    return {};
  },
};
