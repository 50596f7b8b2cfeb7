// Benchmark: what a user's jest file pays in invoke time. Each round is a fresh Node process (as jest runs each
// test file in a fresh module registry) that builds the example app, makes one LocalTwin with LocalTwin.fromStack
// and runs 20 invokes across 3 functions (Hello and Region in Python, Calculator in Node.js), cold starts included.
// Rounds run with the host's default interpreter lookup and with LAMBDA_TWIN_PYTHON pinned to a real interpreter
// (skipping e.g. a pyenv shim). Prints a table and writes bench/results/testing-kit.json. Target: under 3 s.
//
// Usage: node bench/testing-kit.js [rounds=3]
//   LAMBDA_TWIN_LIB  the compiled library (default ../lib). To bench without touching lib/:
//                    npx tsc -p tsconfig.json --outDir /tmp/ltkit/lib && cp -r runtimes /tmp/ltkit/
//                    LAMBDA_TWIN_LIB=/tmp/ltkit/lib node bench/testing-kit.js
//   CDK_VALIDATION   passed through; synth time is reported apart from invoke time either way.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const LIB = path.resolve(__dirname, process.env.LAMBDA_TWIN_LIB || '../lib');
const ROUNDS = Number(process.argv[2] ?? 3);
const TARGET_MS = 3000;

/** The test file's invokes, in order: 20 across 3 functions, as a test file interleaves them. */
const PLAN = [
  ['Hello', { first_name: 'Ana', last_name: 'Lima' }],
  ['Calculator', { action: 'square', number: 3 }],
  ['Region', { httpMethod: 'GET', path: '/region' }],
  ['Hello', { last_name: 'Lima' }],
  ['Calculator', { action: 'increment', number: 1 }],
  ['Calculator', { action: 'explode', number: 1 }],
  ['Region', {}],
  ['Hello', { first_name: 'Bo', last_name: 'Ng' }],
  ['Calculator', { action: 'decrement', number: 5 }],
  ['Hello', { first_name: 'Cy', last_name: 'Oz' }],
  ['Region', {}],
  ['Calculator', { action: 'increment', number: '3' }],
  ['Hello', { first_name: 'Di', last_name: 'Pu' }],
  ['Region', {}],
  ['Calculator', { action: 'square', number: 12 }],
  ['Hello', { first_name: 'Ed', last_name: 'Qi' }],
  ['Region', {}],
  ['Calculator', { action: 'square', number: 4 }],
  ['Hello', { first_name: 'Fa', last_name: 'Ro' }],
  ['Region', {}],
];

/** One round, in this (child) process: prints its measurements as JSON on the last line of stdout. */
async function round() {
  process.env.LAMBDA_TWIN_MODULE = LIB;
  const { App } = require('aws-cdk-lib');
  const { LocalTwin } = require(LIB);
  const { exampleStack } = require('../examples/app');
  const synthStart = performance.now();
  const twin = LocalTwin.fromStack(exampleStack(new App(), 'KitBench'));
  const synthMs = performance.now() - synthStart;
  const invokes = [];
  try {
    for (const [fn, event] of PLAN) {
      const start = performance.now();
      const result = await twin.invoke(fn, { event });
      invokes.push({ fn, ms: performance.now() - start, coldStart: result.coldStart, error: result.errorType ?? null });
    }
  } finally {
    await twin.shutdown();
  }
  process.stdout.write(`\n${JSON.stringify({ synthMs, invokes })}\n`);
}

function realPython() {
  try {
    return execFileSync('python3', ['-c', 'import os,sys;print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function runRound(extraEnv) {
  const child = spawnSync(process.execPath, [__filename, '--round'], {
    encoding: 'utf8',
    // The library may be compiled outside the repository: let it find the repository's node_modules.
    env: { ...process.env, ...extraEnv, NODE_PATH: path.join(__dirname, '..', 'node_modules'), NODE_NO_WARNINGS: '1' },
    timeout: 300_000,
  });
  if (child.status !== 0) throw new Error(`round failed (exit ${child.status}):\n${child.stderr}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => ms.toFixed(0).padStart(7);

function main() {
  if (!fs.existsSync(path.join(LIB, 'index.js'))) {
    console.error(`No compiled library at ${LIB}: build it, or set LAMBDA_TWIN_LIB (see the header of this file).`);
    process.exit(1);
  }
  const python = realPython();
  const variants = [['default interpreter lookup', {}]];
  if (python) variants.push([`LAMBDA_TWIN_PYTHON=${python}`, { LAMBDA_TWIN_PYTHON: python }]);

  const results = [];
  for (const [name, env] of variants) {
    for (let i = 0; i < ROUNDS; i++) {
      const r = runRound(env);
      const cold = r.invokes.filter((x) => x.coldStart);
      const warm = r.invokes.filter((x) => !x.coldStart);
      results.push({
        variant: name,
        round: i + 1,
        synthMs: r.synthMs,
        invokes: r.invokes.length,
        coldStarts: cold.length,
        coldMs: sum(cold.map((x) => x.ms)),
        warmMs: sum(warm.map((x) => x.ms)),
        totalInvokeMs: sum(r.invokes.map((x) => x.ms)),
        slowestColdMs: Math.max(...cold.map((x) => x.ms)),
        warmMedianMs: warm.length ? median(warm.map((x) => x.ms)) : 0,
        perInvoke: r.invokes,
      });
    }
  }

  console.log(`Testing kit: ${PLAN.length} invokes across 3 functions per test file (${ROUNDS} rounds a variant), lib ${LIB}\n`);
  console.log('variant                                            round  synth ms  cold n  cold ms  warm ms  total invoke ms');
  for (const r of results) {
    console.log(`${r.variant.padEnd(50)} ${String(r.round).padStart(5)} ${fmt(r.synthMs)}   ${String(r.coldStarts).padStart(5)} ${fmt(r.coldMs)}  ${fmt(r.warmMs)}  ${fmt(r.totalInvokeMs)}`);
  }
  const summary = variants.map(([name]) => {
    const rows = results.filter((r) => r.variant === name);
    const medianTotal = median(rows.map((r) => r.totalInvokeMs));
    return { variant: name, medianTotalInvokeMs: medianTotal, worstTotalInvokeMs: Math.max(...rows.map((r) => r.totalInvokeMs)),
      medianSynthMs: median(rows.map((r) => r.synthMs)), underTarget: medianTotal < TARGET_MS };
  });
  console.log('');
  for (const s of summary) {
    console.log(`${s.variant}: median ${s.medianTotalInvokeMs.toFixed(0)} ms of invoke time (worst ${s.worstTotalInvokeMs.toFixed(0)} ms), target < ${TARGET_MS} ms: ${s.underTarget ? 'met' : 'NOT met'}; synth ${s.medianSynthMs.toFixed(0)} ms`);
  }

  const out = path.join(__dirname, 'results', 'testing-kit.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({
    benchmark: 'testing-kit',
    description: `${PLAN.length} invokes across Hello (python), Calculator (nodejs), Region (python) from one LocalTwin.fromStack, fresh process per round`,
    date: new Date().toISOString(),
    host: { node: process.version, cpus: require('os').cpus().length, loadavg: require('os').loadavg() },
    targetMs: TARGET_MS,
    summary,
    rounds: results,
  }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

if (process.argv[2] === '--round') {
  round().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main();
}
