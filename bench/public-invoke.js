// Benchmark at the public entry points, warm path, one process: `LocalTwin.invoke` against lambda-local on the same
// Node.js handler, and the Invoke API server start-lambda runs against a canned-response HTTP server, both called
// by the same @aws-sdk/client-lambda client. Prints a table with the ratios and writes bench/results/public-invoke.json.
// Targets (issue 11): LocalTwin.invoke p50 ≤ 1.0× lambda-local; start-lambda adds ≤ 0.3 ms p50 over the canned server.
// Beside those, the floor under any Invoke API that runs functions in a process of their own: the same client and
// server answering each Invoke from a bare runtime process over a Runtime API hand-off, frozen between invokes
// (bench/lib/handoff.js) — what start-lambda would cost if the twin itself took no time.
// Usage: node bench/public-invoke.js [invokes=2000]   (LAMBDA_TWIN_LIB=<another build> measures that build instead of ../lib)
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const lambdaLocal = require('lambda-local');
const { startHandOff } = require('./lib/handoff');
const LIB = path.resolve(process.env.LAMBDA_TWIN_LIB || path.join(__dirname, '..', 'lib'));
const { LocalTwin, InvokeApiServer } = require(LIB);

const INVOKES = Number(process.argv[2] ?? 2000);
const ROUNDS = 10; // the two sides of a comparison take turns, INVOKES / ROUNDS at a time, so drift hits both alike
const TEMPLATE = path.join(__dirname, 'invoke-api-template.yaml');
const HANDLER_FILE = path.join(__dirname, 'invoke-api-functions', 'index.js');
const EVENT = { hello: 'world', n: 1 };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summarize = (samples) => {
  const s = [...samples].sort((a, b) => a - b);
  return { count: s.length, p50Ms: percentile(s, 50), p90Ms: percentile(s, 90), p99Ms: percentile(s, 99), meanMs: s.reduce((a, b) => a + b, 0) / s.length };
};

/** Runs `a` and `b` in alternating blocks (after a warm-up of each) and returns both latency summaries. */
async function compare(a, b) {
  for (let i = 0; i < 200; i++) {
    await a();
    await b();
  }
  const samplesA = [];
  const samplesB = [];
  const block = Math.max(1, Math.floor(INVOKES / ROUNDS));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [run, samples] of [[a, samplesA], [b, samplesB]]) {
      for (let i = 0; i < block; i++) {
        const t0 = process.hrtime.bigint();
        await run();
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
  }
  return [summarize(samplesA), summarize(samplesB)];
}

/**
 * An HTTP server that answers every Invoke with `answer(payload)`: a fixed body (the floor of any Invoke API), or
 * what a bare runtime process returned.
 */
function startInvokeServer(answer) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const body = await answer(Buffer.concat(chunks));
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': '00000000-0000-0000-0000-000000000000',
        'Content-Length': String(body.length),
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function sdkClient(endpoint) {
  return new LambdaClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' } });
}

async function main() {
  lambdaLocal.getLogger().level = 'error';
  const twin = LocalTwin.fromTemplate(TEMPLATE, { maxEnvironmentsPerFunction: 1, quiet: true });
  const server = await InvokeApiServer.start(twin, { port: 0 });
  const payload = Buffer.from(JSON.stringify(EVENT));
  const cannedBody = Buffer.from(JSON.stringify({ ok: true, event: EVENT }));
  const canned = await startInvokeServer(() => cannedBody);
  const handOff = await startHandOff();
  const handOffServer = await startInvokeServer((body) => handOff.invoke(body, true));
  const twinClient = sdkClient(server.url);
  const cannedClient = sdkClient(`http://127.0.0.1:${canned.address().port}`);
  const handOffClient = sdkClient(`http://127.0.0.1:${handOffServer.address().port}`);
  let results;
  try {
    const [twinInvoke, lambdaLocalInvoke] = await compare(
      async () => {
        const r = await twin.invoke('bench-node', { event: EVENT });
        if (r.functionError) throw new Error(r.rawPayload);
      },
      () => lambdaLocal.execute({ event: EVENT, lambdaPath: HANDLER_FILE, lambdaHandler: 'handler', verboseLevel: 0, timeoutMs: 3000 }),
    );
    const [startLambda, cannedServer] = await compare(
      async () => {
        const out = await twinClient.send(new InvokeCommand({ FunctionName: 'bench-node', Payload: payload }));
        if (out.FunctionError) throw new Error(Buffer.from(out.Payload).toString());
      },
      () => cannedClient.send(new InvokeCommand({ FunctionName: 'bench-node', Payload: payload })),
    );
    const [handOffFloor, cannedAgain] = await compare(
      () => handOffClient.send(new InvokeCommand({ FunctionName: 'bench-node', Payload: payload })),
      () => cannedClient.send(new InvokeCommand({ FunctionName: 'bench-node', Payload: payload })),
    );
    results = {
      date: new Date().toISOString(),
      lib: LIB,
      machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg() },
      invokesPerSide: twinInvoke.count,
      localTwinInvoke: twinInvoke,
      lambdaLocal: lambdaLocalInvoke,
      localTwinOverLambdaLocalP50: twinInvoke.p50Ms / lambdaLocalInvoke.p50Ms,
      startLambdaSdk: startLambda,
      cannedServerSdk: cannedServer,
      startLambdaAddsP50Ms: startLambda.p50Ms - cannedServer.p50Ms,
      handOffFloorSdk: handOffFloor,
      cannedServerSdkAgain: cannedAgain,
      handOffFloorAddsP50Ms: handOffFloor.p50Ms - cannedAgain.p50Ms,
      targets: { localTwinOverLambdaLocalP50: 1.0, startLambdaAddsP50Ms: 0.3 },
    };
  } finally {
    twinClient.destroy();
    cannedClient.destroy();
    handOffClient.destroy();
    canned.close();
    handOffServer.close();
    handOff.close();
    await server.close();
    await twin.shutdown();
  }

  const ms = (v) => v.toFixed(3).padStart(9);
  const rows = [
    ['LocalTwin.invoke', results.localTwinInvoke],
    ['lambda-local (in process)', results.lambdaLocal],
    ['start-lambda + SDK client', results.startLambdaSdk],
    ['canned server + SDK client', results.cannedServerSdk],
    ['hand-off floor + SDK client', results.handOffFloorSdk],
    ['canned server (its turns)', results.cannedServerSdkAgain],
  ];
  console.log(`Public entry points, warm Node.js handler, ${results.invokesPerSide} invokes a side (${results.machine.cpus} CPUs, node ${results.machine.node}, load ${results.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`${'entry point'.padEnd(28)}${'p50 ms'.padStart(9)}${'p90 ms'.padStart(9)}${'p99 ms'.padStart(9)}`);
  for (const [name, r] of rows) console.log(`${name.padEnd(28)}${ms(r.p50Ms)}${ms(r.p90Ms)}${ms(r.p99Ms)}`);
  console.log(`LocalTwin.invoke / lambda-local, p50: ${results.localTwinOverLambdaLocalP50.toFixed(2)}× (target ≤ 1.0×)`);
  console.log(`start-lambda − canned server, p50: ${results.startLambdaAddsP50Ms.toFixed(3)} ms (target ≤ 0.3 ms)`);
  console.log(`hand-off floor − canned server, p50: ${results.handOffFloorAddsP50Ms.toFixed(3)} ms (a bare runtime process, frozen between invokes, no twin)`);
  const outDir = path.join(__dirname, 'results');
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, process.env.LAMBDA_TWIN_BENCH_NAME ? `public-invoke-${process.env.LAMBDA_TWIN_BENCH_NAME}.json` : 'public-invoke.json');
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
