#!/usr/bin/env node
// `npm run test:setup` (and the first step of `npm test`): prepares, once, what some tests need and what takes too
// long to build inside a test's timeout. Each preparation caches into test/.cache/<name>-<version>/ and records
// its outcome in test/.cache/<name>-<version>.json; tests read that record with test/prepared.ts, so a failed
// preparation becomes one test that says why and how to fix it, and never stops the other tests.
//
//   node scripts/test-setup.js            prepare everything that is not prepared yet
//   node scripts/test-setup.js --list     show each preparation and its state
//   node scripts/test-setup.js NAME...    prepare only these
//   node scripts/test-setup.js --force    prepare again even when cached
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { run } = require('./run-command');
const { goHandlers, javaFixtures } = require('./java-go-fixtures');

const CACHE = path.resolve(__dirname, '..', 'test', '.cache');

/** A command on PATH, or undefined. */
function missing(tools) {
  return tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0);
}


/**
 * The registry. Each preparation has a name and version (its cache folder is test/.cache/<name>-<version>),
 * what it is for, the host tools it needs (with the command that installs them), roughly how long it takes,
 * `ready(dir)` (is the cache complete?) and `prepare(dir)` (fill the folder; it is renamed into place only
 * when this returns, so a half-done preparation is never mistaken for a finished one).
 */
const PREPARATIONS = [
  {
    name: 'aws-lambda-ric',
    version: '4.0.2',
    purpose: "AWS's own Node.js runtime client, run as a provided.al2023 bootstrap by test/engine/provided.test.ts",
    tools: ['autoconf', 'automake', 'libtoolize', 'make', 'g++', 'cmake'],
    install: 'apt-get update && apt-get install -y autoconf automake libtool cmake make g++',
    duration: 'builds native code: about 6 minutes on 2 cores, once',
    ready: (dir) => fs.existsSync(path.join(dir, 'node_modules', 'aws-lambda-ric', 'index.mjs')),
    prepare(dir) {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'ric-cache', private: true }));
      run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', dir, `aws-lambda-ric@${this.version}`]);
    },
  },
  {
    name: 'runtime-libs',
    version: '1',
    purpose: 'the libraries Lambda provides (AWS SDK for JavaScript v3 for nodejs22.x, boto3 for python3.12), fetched by ' +
      "lambda-twin's own installer, for test/runtime-libs",
    tools: ['npm', 'python3'],
    install: 'apt-get install -y npm python3 python3-pip',
    duration: 'downloads about 75 MB from npm and PyPI: under a minute',
    ready: (dir) => fs.existsSync(path.join(dir, 'nodejs22.x', 'node_modules', '@aws-sdk', 'client-s3', 'package.json'))
      && fs.existsSync(path.join(dir, 'python3.12', 'python', 'boto3', '__init__.py')),
    prepare(dir) {
      const installer = path.resolve(__dirname, '..', 'src', 'engine', 'runtime-libs', 'runtime-libraries');
      run(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e',
        `const { installRuntimeLibraries } = require(${JSON.stringify(installer)});
         (async () => { for (const r of ['nodejs22.x', 'python3.12']) await installRuntimeLibraries(r); })()
           .catch((e) => { console.error(e.message); process.exit(1); });`],
      { cwd: path.resolve(__dirname, '..'), env: { ...process.env, LAMBDA_TWIN_RUNTIME_LIBS: dir } });
    },
  },
  // Maven builds of the Java example and conformance handlers, AWS's Java client, a Go bootstrap.
  javaFixtures,
  goHandlers,
];

const dirOf = (p) => path.join(CACHE, `${p.name}-${p.version}`);
const recordOf = (p) => path.join(CACHE, `${p.name}-${p.version}.json`);

function write(p, record) {
  fs.writeFileSync(recordOf(p), JSON.stringify({ name: p.name, version: p.version, dir: dirOf(p), ...record }, null, 2) + '\n');
}

function prepareOne(p, force) {
  const dir = dirOf(p);
  if (!force && p.ready(dir)) {
    write(p, { ok: true });
    console.log(`test:setup: ${p.name}@${p.version} is ready (${path.relative(process.cwd(), dir)})`);
    return true;
  }
  const fix = `install the tools (${p.install}), then run \`npm run test:setup\``;
  const absent = missing(p.tools);
  if (absent.length > 0) {
    const error = `${p.name}@${p.version} (${p.purpose}) needs ${absent.join(', ')} on PATH, which are missing.`;
    write(p, { ok: false, error, fix });
    console.warn(`test:setup: ${error}\n  Fix: ${fix}. The tests that need it will fail with this message; the others run.`);
    return false;
  }
  console.log(`test:setup: preparing ${p.name}@${p.version} (${p.duration}) ...`);
  const started = Date.now();
  const staging = `${dir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  try {
    p.prepare(staging);
    if (!p.ready(staging)) throw new Error(`the preparation finished but ${staging} is incomplete`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    const error = `preparing ${p.name}@${p.version} (${p.purpose}) failed: ${e.message}`;
    write(p, { ok: false, error, fix: `fix the cause above, then run \`npm run test:setup -- ${p.name}\`` });
    console.warn(`test:setup: ${error}`);
    return false;
  }
  write(p, { ok: true });
  console.log(`test:setup: ${p.name}@${p.version} ready after ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

function main(argv) {
  const force = argv.includes('--force');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !PREPARATIONS.some((p) => p.name === n));
  if (unknown.length > 0) {
    console.error(`test:setup: no preparation named ${unknown.join(', ')}; known: ${PREPARATIONS.map((p) => p.name).join(', ')}`);
    return 2;
  }
  fs.mkdirSync(CACHE, { recursive: true });
  const chosen = names.length > 0 ? PREPARATIONS.filter((p) => names.includes(p.name)) : PREPARATIONS;
  if (argv.includes('--list')) {
    for (const p of chosen) console.log(`${p.name}@${p.version}\t${p.ready(dirOf(p)) ? 'ready' : 'not prepared'}\t${p.purpose}`);
    return 0;
  }
  chosen.forEach((p) => prepareOne(p, force));
  // A failed preparation is reported by the tests that need it; the rest of `npm test` still runs.
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

module.exports = { PREPARATIONS, CACHE };
