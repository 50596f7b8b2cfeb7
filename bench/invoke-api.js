// Benchmark: AWS SDK round trips through the local Invoke API (RequestResponse to a warm Node.js and Python
// function, Event acceptance) at concurrency 1 and 8: latency percentiles and throughput. Prints a table and
// writes bench/results/invoke-api.json.
// Usage: node bench/invoke-api.js [requests=400]   (needs the compiled ../lib, or LAMBDA_TWIN_LIB=<another build>)
const fs = require('fs');
const path = require('path');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const { LocalTwin, InvokeApiServer } = require(process.env.LAMBDA_TWIN_LIB || '../lib');

const REQUESTS = Number(process.argv[2] ?? 400);
const TEMPLATE = path.join(__dirname, 'invoke-api-template.yaml');

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function scenario(lambda, name, command, concurrency) {
  // Warm up: one environment per concurrent caller, not measured.
  await Promise.all(Array.from({ length: concurrency }, () => lambda.send(command())));
  const latencies = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < REQUESTS) {
      next++;
      const t = process.hrtime.bigint();
      const out = await lambda.send(command());
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (out.FunctionError) throw new Error(`${name}: function error ${Buffer.from(out.Payload).toString()}`);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    scenario: name, concurrency, requests: latencies.length,
    p50Ms: percentile(latencies, 50), p90Ms: percentile(latencies, 90), p99Ms: percentile(latencies, 99),
    throughputPerSecond: latencies.length / seconds,
  };
}

async function main() {
  const twin = LocalTwin.fromTemplate(TEMPLATE, { maxEnvironmentsPerFunction: 8 });
  const server = await InvokeApiServer.start(twin, { port: 0 });
  const lambda = new LambdaClient({
    endpoint: server.url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
  });
  const payload = Buffer.from(JSON.stringify({ hello: 'world', n: 1 }));
  const rows = [];
  try {
    for (const concurrency of [1, 8]) {
      rows.push(await scenario(lambda, 'node RequestResponse', () => new InvokeCommand({ FunctionName: 'bench-node', Payload: payload }), concurrency));
      rows.push(await scenario(lambda, 'python RequestResponse', () => new InvokeCommand({ FunctionName: 'bench-python', Payload: payload }), concurrency));
      rows.push(await scenario(lambda, 'node Event (accept)', () => new InvokeCommand({ FunctionName: 'bench-node', InvocationType: 'Event', Payload: payload }), concurrency));
      await twin.settleEvents();
    }
  } finally {
    lambda.destroy();
    await server.close();
    await twin.shutdown();
  }
  const fmt = (n) => n.toFixed(2).padStart(9);
  console.log(`${'scenario'.padEnd(24)} conc  requests    p50 ms    p90 ms    p99 ms     req/s`);
  for (const r of rows) {
    console.log(`${r.scenario.padEnd(24)} ${String(r.concurrency).padStart(4)} ${String(r.requests).padStart(9)} ${fmt(r.p50Ms)} ${fmt(r.p90Ms)} ${fmt(r.p99Ms)} ${fmt(r.throughputPerSecond)}`);
  }
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'invoke-api.json'), JSON.stringify({
    date: new Date().toISOString(), node: process.version, cpus: require('os').cpus().length, requestsPerScenario: REQUESTS, rows,
  }, null, 2) + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
