// Benchmark: HTTP requests through `lambda-twin start-api` (the real CLI, an HTTP API with a Node.js and a Python
// hello route) with autocannon at concurrency 1 and 8, next to direct `twin.invoke` calls of the same functions:
// requests/s and p50/p99 latency. Prints a table and writes bench/results/start-api.json.
// Usage: node bench/start-api.js [seconds=5]   (needs the compiled ../lib: npx projen compile)
'use strict';
const { spawn } = require('child_process');
const path = require('path');
const autocannon = require('autocannon');
const { summarize, writeResults } = require('./lib/stats');
const { LocalTwin } = require(process.env.LAMBDA_TWIN_LIB || '../lib');

const SECONDS = Number(process.argv[2] ?? 5);
const TEMPLATE = path.join(__dirname, 'start-api-template.yaml');
const CLI = path.join(__dirname, '..', 'bin', 'lambda-twin');

function startApi() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'start-api', '--template', TEMPLATE, '--port', '0', '--no-logs', '--quiet'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /Serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, base: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`start-api exited with ${code}: ${out}`)));
  });
}

async function throughHttp(url, concurrency) {
  await autocannon({ url, connections: concurrency, amount: concurrency * 20 }); // warm one environment per connection
  const r = await autocannon({ url, connections: concurrency, duration: SECONDS });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { requestsPerSecond: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, requests: r.requests.total };
}

async function direct(twin, fn, concurrency) {
  const call = () => twin.invoke(fn, { event: { rawPath: '/' } });
  await Promise.all(Array.from({ length: concurrency * 4 }, call));
  const samples = [];
  const until = Date.now() + SECONDS * 1000;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < until) {
      const t = process.hrtime.bigint();
      await call();
      samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const s = summarize(samples);
  return { requestsPerSecond: samples.length / seconds, p50Ms: s.p50, p99Ms: s.p99, requests: samples.length };
}

async function main() {
  const rows = [];
  const { child, base } = await startApi();
  try {
    for (const [lang, route] of [['node', '/node'], ['python', '/python']]) {
      for (const concurrency of [1, 8]) rows.push({ scenario: `start-api ${lang}`, concurrency, ...(await throughHttp(`${base}/ServerlessHttpApi${route}`, concurrency)) });
    }
  } finally {
    child.kill('SIGTERM');
  }
  const twin = LocalTwin.fromTemplate(TEMPLATE, { quiet: true, maxEnvironmentsPerFunction: 8 });
  try {
    for (const [lang, fn] of [['node', 'bench-api-node'], ['python', 'bench-api-python']]) {
      for (const concurrency of [1, 8]) rows.push({ scenario: `twin.invoke ${lang}`, concurrency, ...(await direct(twin, fn, concurrency)) });
    }
  } finally {
    await twin.shutdown();
  }
  console.log('scenario              conc   req/s    p50 ms   p99 ms');
  for (const r of rows) {
    console.log(`${r.scenario.padEnd(20)} ${String(r.concurrency).padStart(5)} ${r.requestsPerSecond.toFixed(0).padStart(7)} ${r.p50Ms.toFixed(2).padStart(9)} ${r.p99Ms.toFixed(2).padStart(8)}`);
  }
  writeResults('start-api', { seconds: SECONDS, rows });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
