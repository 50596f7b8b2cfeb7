// One helper for the setup scripts: run a command to completion, keep its output, and fail with its last lines.
'use strict';
const { spawnSync } = require('child_process');

/** Runs a command and returns its stdout; throws with the command and its last 15 lines of output when it fails. */
function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed (${result.error?.message ?? `exit code ${result.status}`}):\n${output}`);
  }
  return result.stdout;
}

module.exports = { run };
