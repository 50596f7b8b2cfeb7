// Isolation benchmark: what isolated environments (own mount and PID namespaces, isolate.sh as init, dropped
// capabilities) cost against plain processes (through the subreaper launcher), in one run: warm invoke p50/p99 and
// cold start (INIT duration and the whole first invoke) for a Node.js and a Python hello handler, in each mode:
// `isolate: false` (plain), the default (`isolate` not given: isolated where the host allows it) and `isolate: true`. Prints a table and writes
// bench/results/isolation.json. Runs against the compiled library (`../lib`, or LAMBDA_TWIN_LIB; see engine-invoke.js).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { benchSpec, summarize, writeResults } = require('./lib/stats');

const LIB = path.resolve(process.env.LAMBDA_TWIN_LIB || path.join(__dirname, '..', 'lib'));
const { FunctionRunner } = require(path.join(LIB, 'engine', 'function-runner'));
const { isolationSupport } = require(path.join(LIB, 'engine', 'environment', 'isolation'));
const { reaperExecutable } = require(path.join(LIB, 'engine', 'environment', 'reaper'));

const MODES = [['plain', false], ['default', undefined], ['isolated', true]];

const WARM_INVOKES = Number(process.env.BENCH_WARM_INVOKES || 1000);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS || 10);
const EVENT = Buffer.from('{"name":"bench"}');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-bench-isolation-'));
const codeDir = path.join(work, 'code');
fs.mkdirSync(codeDir);
fs.writeFileSync(path.join(codeDir, 'hello.py'), 'def handler(event, context):\n    return {"hello": event["name"]}\n');
fs.writeFileSync(path.join(codeDir, 'hello.js'), 'exports.handler = async (event) => ({ hello: event.name });\n');

function spec(runtime) {
  return benchSpec({ functionName: `bench-${runtime}`, runtime, handler: 'hello.handler', codePath: codeDir });
}


const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function warm(runtime, isolate) {
  const runner = new FunctionRunner(spec(runtime), { stateDir: path.join(work, `warm-${runtime}-${String(isolate)}`), maxEnvironments: 1, idleTimeoutMs: 600_000, isolate });
  for (let i = 0; i < 100; i++) await runner.invoke({ payload: EVENT });
  const samples = [];
  for (let i = 0; i < WARM_INVOKES; i++) {
    const t0 = process.hrtime.bigint();
    const result = await runner.invoke({ payload: EVENT });
    samples.push(ms(t0));
    if (result.functionError) throw new Error(`bench handler failed: ${result.payload}`);
  }
  await runner.shutdown();
  return summarize(samples);
}

async function cold(runtime, isolate) {
  const inits = [];
  const firsts = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const runner = new FunctionRunner(spec(runtime), { stateDir: path.join(work, `cold-${runtime}-${isolate}-${i}`), maxEnvironments: 1, idleTimeoutMs: 600_000, isolate });
    const t0 = process.hrtime.bigint();
    const result = await runner.invoke({ payload: EVENT });
    firsts.push(ms(t0));
    if (result.functionError) throw new Error(`bench handler failed: ${result.payload}`);
    inits.push(result.initDurationMs);
    await runner.shutdown();
  }
  return { init: summarize(inits), firstInvoke: summarize(firsts) };
}

async function main() {
  const support = isolationSupport();
  if (!support.available) throw new Error(`this host cannot isolate environments: it lacks ${support.missing}`);
  const results = { host: { cpus: os.cpus().length, root: process.getuid() === 0, userNamespace: support.userNamespace, reaper: Boolean(reaperExecutable()) }, runtimes: {} };
  const rows = [];
  for (const runtime of ['nodejs20.x', 'python3.11']) {
    results.runtimes[runtime] = {};
    for (const [mode, isolate] of MODES) {
      const entry = { warm: await warm(runtime, isolate), cold: await cold(runtime, isolate) };
      results.runtimes[runtime][mode] = entry;
      rows.push([`${runtime} ${mode}`, entry.warm.p50, entry.warm.p99, entry.cold.init.p50, entry.cold.firstInvoke.p50]);
    }
  }
  const cell = (v) => v.toFixed(2).padStart(10);
  console.log(`${'mode'.padEnd(22)}${'warm p50'.padStart(10)}${'warm p99'.padStart(10)}${'INIT p50'.padStart(10)}${'cold p50'.padStart(10)}  (ms)`);
  for (const [label, ...values] of rows) console.log(`${label.padEnd(22)}${values.map(cell).join('')}`);
  writeResults('isolation', { date: new Date().toISOString(), warmInvokes: WARM_INVOKES, coldStarts: COLD_STARTS, ...results });
}

main().catch((err) => {
  console.error(err.stack);
  process.exitCode = 1;
}).finally(() => fs.rmSync(work, { recursive: true, force: true }));
