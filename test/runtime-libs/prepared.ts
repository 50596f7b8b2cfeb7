// The runtime-libraries cache the tests run with: test/.cache/runtime-libs-<version>/, filled by the
// `runtime-libs` preparation of scripts/test-setup.js (the real packages from npm and PyPI).
import * as fs from 'fs';
import * as path from 'path';

export const RUNTIME_LIBS_PREPARATION = { name: 'runtime-libs', version: '1', runtimes: ['nodejs22.x', 'python3.12'] };

/** The folder of the prepared cache; throws with the command that prepares it when it is missing. */
export async function preparedRuntimeLibs(): Promise<string> {
  const dir = path.resolve(__dirname, '..', '.cache', `${RUNTIME_LIBS_PREPARATION.name}-${RUNTIME_LIBS_PREPARATION.version}`);
  const ready = fs.existsSync(path.join(dir, 'nodejs22.x', 'node_modules', '@aws-sdk', 'client-s3', 'package.json'))
    && fs.existsSync(path.join(dir, 'python3.12', 'python', 'boto3', '__init__.py'));
  if (!ready) {
    throw new Error(`The runtime libraries for the tests are not prepared in ${dir}: run \`node scripts/test-setup.js runtime-libs\``);
  }
  return dir;
}
