// Engine benchmark: warm invoke latency (p50/p99) and throughput for Python and Node.js hello handlers, cold
// INIT against the bare interpreter importing the same file, and the same Node.js handler under npm
// lambda-local. Prints a table and writes bench/results/engine-invoke.json.
//
// Runs against the compiled library: `../lib` by default, or LAMBDA_TWIN_LIB (e.g. a private build made with
// `npx tsc -p tsconfig.json --outDir /tmp/ltbuild/lib && cp -r runtimes /tmp/ltbuild/`).
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { benchSpec, summarize, writeResults } = require('./lib/stats');

const LIB = path.resolve(process.env.LAMBDA_TWIN_LIB || path.join(__dirname, '..', 'lib'));
const { FunctionRunner } = require(path.join(LIB, 'engine', 'function-runner'));
const { hostInterpreter } = require(path.join(LIB, 'engine', 'runtimes', 'runtimes'));

const WARM_INVOKES = Number(process.env.BENCH_WARM_INVOKES || 3000);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS || 15);
const EVENT = Buffer.from('{"name":"bench"}');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-bench-'));
const codeDir = path.join(work, 'code');
fs.mkdirSync(codeDir);
fs.writeFileSync(path.join(codeDir, 'hello.py'), 'def handler(event, context):\n    return {"hello": event["name"]}\n');
fs.writeFileSync(path.join(codeDir, 'hello.js'), 'exports.handler = async (event) => ({ hello: event.name });\n');

function spec(runtime, handler) {
  return benchSpec({ functionName: `bench-${runtime}`, runtime, handler, codePath: codeDir });
}



async function warm(runtime, handler) {
  const runner = new FunctionRunner(spec(runtime, handler), { stateDir: path.join(work, `warm-${runtime}`), maxEnvironments: 2, idleTimeoutMs: 600_000 });
  for (let i = 0; i < 300; i++) await runner.invoke({ payload: EVENT });
  const samples = new Array(WARM_INVOKES);
  const started = process.hrtime.bigint();
  for (let i = 0; i < WARM_INVOKES; i++) {
    const t0 = process.hrtime.bigint();
    const result = await runner.invoke({ payload: EVENT });
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    if (result.functionError) throw new Error(`bench handler failed: ${result.payload}`);
  }
  const sequentialSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Two callers at once use two environments (this machine has 2 cores).
  const parallelStarted = process.hrtime.bigint();
  await Promise.all([0, 1].map(async () => {
    for (let i = 0; i < WARM_INVOKES / 2; i++) await runner.invoke({ payload: EVENT });
  }));
  const parallelSeconds = Number(process.hrtime.bigint() - parallelStarted) / 1e9;
  await runner.shutdown();
  return {
    ...summarize(samples),
    throughputPerSecond: WARM_INVOKES / sequentialSeconds,
    parallel2ThroughputPerSecond: WARM_INVOKES / parallelSeconds,
  };
}

async function cold(runtime, handler) {
  const inits = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const runner = new FunctionRunner(spec(runtime, handler), { stateDir: path.join(work, `cold-${runtime}-${i}`), maxEnvironments: 1, idleTimeoutMs: 600_000 });
    const result = await runner.invoke({ payload: EVENT });
    inits.push(result.initDurationMs);
    await runner.shutdown();
  }
  return summarize(inits);
}

/** The bare interpreter starting and importing the same handler file, spawn to exit. */
function bare(command, args) {
  const samples = [];
  for (let i = 0; i < COLD_STARTS + 2; i++) {
    const t0 = process.hrtime.bigint();
    const run = spawnSync(command, args, { cwd: codeDir, stdio: 'ignore', env: { PATH: process.env.PATH, LANG: 'en_US.UTF-8' } });
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
    if (i >= 2) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return summarize(samples);
}

async function lambdaLocal() {
  const lambdaLocalModule = require('lambda-local');
  lambdaLocalModule.getLogger().level = 'error';
  const run = () => lambdaLocalModule.execute({
    event: { name: 'bench' }, lambdaPath: path.join(codeDir, 'hello.js'), lambdaHandler: 'handler', verboseLevel: 0, timeoutMs: 3000,
  });
  for (let i = 0; i < 100; i++) await run();
  const samples = [];
  const count = Math.min(WARM_INVOKES, 1000);
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...summarize(samples), throughputPerSecond: count / seconds };
}

async function main() {
  const python = hostInterpreter('python3.11');
  const results = {
    machine: { cpus: os.cpus().length, node: process.version, python: python.version, platform: `${os.platform()} ${os.release()}` },
    warmInvokes: WARM_INVOKES,
    coldStarts: COLD_STARTS,
    python: {
      warm: await warm('python3.11', 'hello.handler'),
      coldInit: await cold('python3.11', 'hello.handler'),
      bareInterpreter: bare(python.executable, ['-c', 'import sys; sys.path.insert(0, "."); import hello']),
    },
    node: {
      warm: await warm('nodejs20.x', 'hello.handler'),
      coldInit: await cold('nodejs20.x', 'hello.handler'),
      bareInterpreter: bare(process.execPath, ['-e', 'require("./hello.js")']),
      lambdaLocal: await lambdaLocal(),
    },
  };
  for (const runtime of ['python', 'node']) {
    results[runtime].coldInitOverBare = results[runtime].coldInit.p50 / results[runtime].bareInterpreter.p50;
  }
  const ms = (v) => v.toFixed(3).padStart(9);
  const rows = [
    ['python warm invoke', results.python.warm],
    ['python cold INIT', results.python.coldInit],
    ['python bare import', results.python.bareInterpreter],
    ['node warm invoke', results.node.warm],
    ['node cold INIT', results.node.coldInit],
    ['node bare require', results.node.bareInterpreter],
    ['node lambda-local', results.node.lambdaLocal],
  ];
  console.log(`${'measure'.padEnd(22)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'per s'.padStart(9)}${'2x par/s'.padStart(10)}`);
  for (const [name, r] of rows) {
    const rate = r.throughputPerSecond ? r.throughputPerSecond.toFixed(0).padStart(9) : ''.padStart(9);
    const par = r.parallel2ThroughputPerSecond ? r.parallel2ThroughputPerSecond.toFixed(0).padStart(10) : ''.padStart(10);
    console.log(`${name.padEnd(22)}${ms(r.p50)}${ms(r.p99)}${rate}${par}`);
  }
  console.log(`cold INIT / bare interpreter (p50): python ${results.python.coldInitOverBare.toFixed(2)}x, node ${results.node.coldInitOverBare.toFixed(2)}x`);
  writeResults('engine-invoke', results);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
