// `npm run bench`: runs every benchmark in bench/ one after another (each prints its table and writes
// bench/results/<name>.json), or only those named: `npm run bench -- engine-invoke public-invoke`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const all = fs.readdirSync(__dirname).filter((f) => f.endsWith('.js') && f !== 'run-all.js').map((f) => f.slice(0, -3)).sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no benchmark named ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n== bench/${name}.js`);
  const run = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.error(`bench/${name}.js failed (${run.signal ?? `exit code ${run.status}`})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
