// Java and Go benchmark: java17 cold INIT of the seeds' example.Hello against a bare JVM starting the same class
// (`java -cp … BareMain`, same JVM flags), java17 and Go (provided.al2023, aws-lambda-go) warm invoke p50/p99.
// Prints a table and writes bench/results/java-go.json. Needs `npm run test:setup` (java-fixtures, go-handlers)
// and the compiled library (`npx projen compile`; LAMBDA_TWIN_LIB overrides ../lib).
'use strict';

const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { benchSpec, summarize, writeResults } = require('./lib/stats');

const LIB = path.resolve(process.env.LAMBDA_TWIN_LIB || path.join(__dirname, '..', 'lib'));
const { FunctionRunner } = require(path.join(LIB, 'engine', 'function-runner'));
const { findJava, jvmFlags } = require(path.join(LIB, 'engine', 'runtimes', 'java'));

const CACHE = path.join(__dirname, '..', 'test', '.cache');
const JAVA_DIR = path.join(CACHE, 'java-fixtures-1');
const GO_ZIP = path.join(CACHE, 'go-handlers-1', 'function.zip');
const WARM_INVOKES = Number(process.env.BENCH_WARM_INVOKES || 2000);
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS || 10);

for (const needed of [path.join(JAVA_DIR, 'hello'), GO_ZIP]) {
  if (!fs.existsSync(needed)) {
    console.error(`${needed} is missing: run \`node scripts/test-setup.js java-fixtures go-handlers\` first.`);
    process.exit(2);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-bench-java-'));

function spec(name, runtime, handler, codePath, environment = {}) {
  return benchSpec({ logicalId: name, functionName: name, runtime, handler, codePath, memorySize: 512, environment });
}



async function warm(fnSpec, event) {
  const runner = new FunctionRunner(fnSpec, { stateDir: path.join(work, `warm-${fnSpec.functionName}`), maxEnvironments: 1, idleTimeoutMs: 600_000 });
  const payload = Buffer.from(JSON.stringify(event));
  for (let i = 0; i < 300; i++) await runner.invoke({ payload }); // lets the JIT settle
  const samples = [];
  for (let i = 0; i < WARM_INVOKES; i++) {
    const t0 = process.hrtime.bigint();
    const result = await runner.invoke({ payload });
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (result.functionError) throw new Error(`bench handler failed: ${result.payload}`);
  }
  await runner.shutdown();
  return summarize(samples);
}

async function cold(fnSpec, event) {
  const inits = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const runner = new FunctionRunner(fnSpec, { stateDir: path.join(work, `cold-${fnSpec.functionName}-${i}`), maxEnvironments: 1, idleTimeoutMs: 600_000 });
    const result = await runner.invoke({ payload: Buffer.from(JSON.stringify(event)) });
    if (result.functionError) throw new Error(`bench handler failed: ${result.payload}`);
    inits.push(result.initDurationMs);
    await runner.shutdown();
  }
  return summarize(inits);
}

/** A bare JVM with the same flags loading and constructing example.Hello, spawn to exit. */
function bareJvm(java) {
  const src = path.join(work, 'BareMain.java');
  fs.writeFileSync(src, 'public class BareMain { public static void main(String[] a) throws Exception { '
    + 'Class.forName("example.Hello").getConstructor().newInstance(); } }\n');
  execFileSync(path.join(path.dirname(java.executable), 'javac'), ['-d', work, src]);
  const hello = path.join(JAVA_DIR, 'hello');
  const classpath = [work, hello, path.join(hello, 'lib', '*')].join(':');
  const samples = [];
  for (let i = 0; i < COLD_STARTS + 2; i++) {
    const t0 = process.hrtime.bigint();
    const run = spawnSync(java.executable, [...jvmFlags(512, work), '-cp', classpath, 'BareMain'], { stdio: 'ignore' });
    if (run.status !== 0) throw new Error('the bare JVM failed');
    if (i >= 2) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return summarize(samples);
}

async function main() {
  const java = findJava('java17');
  const hello = spec('bench-java17', 'java17', 'example.Hello::myHandler', path.join(JAVA_DIR, 'hello'));
  const go = spec('bench-go', 'provided.al2023', 'bootstrap', GO_ZIP, { HANDLER_MODE: 'greet' });
  const results = {
    machine: { cpus: os.cpus().length, node: process.version, java: java.version, platform: `${os.platform()} ${os.release()}` },
    warmInvokes: WARM_INVOKES,
    coldStarts: COLD_STARTS,
    java17: { coldInit: await cold(hello, 123), bareJvm: bareJvm(java), warm: await warm(hello, 123) },
    go: { coldInit: await cold(go, { name: 'bench', age: 1 }), warm: await warm(go, { name: 'bench', age: 1 }) },
  };
  results.java17.coldInitOverBare = results.java17.coldInit.p50 / results.java17.bareJvm.p50;
  const ms = (v) => v.toFixed(3).padStart(10);
  console.log(`${'measure'.padEnd(26)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}`);
  for (const [name, r] of [
    ['java17 cold INIT', results.java17.coldInit],
    ['bare JVM, same class', results.java17.bareJvm],
    ['java17 warm invoke', results.java17.warm],
    ['go cold INIT', results.go.coldInit],
    ['go warm invoke', results.go.warm],
  ]) console.log(`${name.padEnd(26)}${ms(r.p50)}${ms(r.p99)}`);
  console.log(`java17 cold INIT / bare JVM (p50): ${results.java17.coldInitOverBare.toFixed(2)}x`);
  writeResults('java-go', results);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
