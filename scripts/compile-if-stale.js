#!/usr/bin/env node
// Compiles the library (`npx projen compile`: jsii, then the API docs) only when lib/ is older than what it is
// built from — any file or folder under src/, package.json or the project definition — so `npm run demo` on an
// up-to-date checkout starts in seconds instead of waiting for jsii. `--force` always compiles.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** The newest modification time under `target` (files and folders: a deleted file changes its folder's time). */
function newest(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  let time = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target)) time = Math.max(time, newest(path.join(target, entry)));
  }
  return time;
}

/** Why lib/ must be rebuilt, or undefined when it is up to date. */
function staleReason() {
  const outputs = ['.jsii', path.join('lib', 'index.js'), path.join('lib', 'cli', 'main.js')].map((f) => path.join(root, f));
  const missing = outputs.find((f) => !fs.existsSync(f));
  if (missing) return `${path.relative(root, missing)} does not exist`;
  const built = Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
  for (const input of ['src', 'package.json', '.projenrc.ts']) {
    if (newest(path.join(root, input)) > built) return `${input} changed since lib/ was built`;
  }
  return undefined;
}

function main() {
  const reason = process.argv.includes('--force') ? '--force' : staleReason();
  if (!reason) {
    console.log('lib/ is up to date with src/: skipping the compile (`node scripts/compile-if-stale.js --force` to rebuild)');
    return 0;
  }
  console.log(`Compiling (${reason}) ...`);
  const result = spawnSync('npx', ['projen', 'compile'], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

if (require.main === module) process.exitCode = main();

module.exports = { staleReason };
