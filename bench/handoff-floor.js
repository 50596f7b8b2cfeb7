// The floor under any twin that runs a function in a process of its own: one Node.js process hands an event to
// another over loopback HTTP, the way the Runtime API does (a parked GET /next answered with the event; the
// runtime posts the result and asks for the next event in one write), with no bookkeeping at all. Measured in the
// same run as lambda-local (in process) and LocalTwin.invoke on the same handler, blocks taking turns, so the
// ratios say how much of LocalTwin.invoke is the hand-off itself and how much is the twin.
// Variants: back to back (the next event goes out as soon as the last answer is in), after a 0.3 ms gap of busy
// work in the caller (what an SDK client between invokes looks like), and that gap with SIGSTOP/SIGCONT around it.
// Usage: node bench/handoff-floor.js [invokes a side = 4000]
'use strict';
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');
const { summarize, writeResults } = require('./lib/stats');

const NEXT_REQUEST = 'GET /next HTTP/1.1\r\nHost: runtime\r\n\r\n';

/** The runtime side: parses the answers on its one connection and posts a result for every event. */
function runRuntime(port) {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let pending = '';
  socket.write(NEXT_REQUEST);
  socket.on('data', (data) => {
    pending += data.toString('latin1');
    for (;;) {
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = pending.slice(0, headEnd);
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (pending.length < headEnd + 4 + length) return;
      const body = pending.slice(headEnd + 4, headEnd + 4 + length);
      pending = pending.slice(headEnd + 4 + length);
      if (!head.startsWith('HTTP/1.1 200')) continue; // the 202 for a posted result
      const result = JSON.stringify({ ok: true, event: JSON.parse(body) });
      socket.write(`POST /response HTTP/1.1\r\nHost: runtime\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(result)}\r\n\r\n${result}${NEXT_REQUEST}`);
    }
  });
}

/** The caller side: a Runtime API reduced to a parked /next and a posted result. */
function startHandOff() {
  let parked;
  let posted;
  let onParked;
  const server = http.createServer((req, res) => {
    if (req.url === '/next') {
      parked = res;
      const done = onParked;
      onParked = undefined;
      done?.(posted);
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      posted = Buffer.concat(chunks);
      res.writeHead(202, { 'Content-Length': '0' });
      res.end();
    });
  });
  server.keepAliveTimeout = 0;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const child = fork(__filename, ['--runtime', String(server.address().port)]);
    const payload = Buffer.from(JSON.stringify({ hello: 'world', n: 1 }));
    /** One invoke: the event to the parked /next; done when the runtime asks for the next one. */
    const invoke = (freeze) => new Promise((done) => {
      onParked = done;
      const res = parked;
      parked = undefined;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Lambda-Runtime-Aws-Request-Id': 'r', 'Content-Length': payload.length });
      res.end(payload);
      if (freeze) process.kill(child.pid, 'SIGCONT');
    }).then((body) => {
      if (freeze) process.kill(child.pid, 'SIGSTOP');
      return body;
    });
    const ready = () => (parked ? resolve({ invoke, thaw: () => process.kill(child.pid, 'SIGCONT'), close: () => { child.kill('SIGKILL'); server.close(); } }) : setTimeout(ready, 5));
    ready();
  }));
}

const busyFor = (ms) => {
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  while (process.hrtime.bigint() < end);
};

async function main() {
  const invokes = Number(process.argv[2] ?? 4000);
  const lambdaLocal = require('lambda-local');
  lambdaLocal.getLogger().level = 'error';
  const { LocalTwin } = require(path.join(__dirname, '..', 'lib'));
  const twin = LocalTwin.fromTemplate(path.join(__dirname, 'invoke-api-template.yaml'), { maxEnvironmentsPerFunction: 1, quiet: true });
  const handOff = await startHandOff();
  const handler = path.join(__dirname, 'invoke-api-functions', 'index.js');
  const event = { hello: 'world', n: 1 };
  const sides = [
    { name: 'hand-off, back to back', run: () => handOff.invoke(false) },
    { name: 'hand-off after a 0.3 ms gap', gapMs: 0.3, run: () => handOff.invoke(false) },
    { name: 'hand-off, gap, SIGSTOP/SIGCONT', gapMs: 0.3, run: () => handOff.invoke(true), after: handOff.thaw },
    { name: 'LocalTwin.invoke, back to back', run: () => twin.invoke('bench-node', { event }) },
    { name: 'lambda-local (in process)', run: () => lambdaLocal.execute({ event, lambdaPath: handler, lambdaHandler: 'handler', verboseLevel: 0, timeoutMs: 3000 }) },
  ];
  const rounds = 10;
  const block = Math.max(1, Math.floor(invokes / rounds));
  const samples = sides.map(() => []);
  try {
    for (let round = -1; round < rounds; round++) { // round -1 warms every side up
      for (const [i, side] of sides.entries()) {
        for (let n = 0; n < block; n++) {
          if (side.gapMs) busyFor(side.gapMs);
          const t0 = process.hrtime.bigint();
          await side.run();
          if (round >= 0) samples[i].push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        side.after?.();
      }
    }
  } finally {
    handOff.close();
    await twin.shutdown();
  }
  const stats = sides.map((side, i) => ({ name: side.name, ...summarize(samples[i]) }));
  const floor = stats[stats.length - 1].p50;
  console.log(`Cross-process hand-off floor, ${block * rounds} invokes a side (${os.cpus().length} CPUs, node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  console.log(`${'side'.padEnd(34)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'× lambda-local'.padStart(16)}`);
  for (const s of stats) console.log(`${s.name.padEnd(34)}${s.p50.toFixed(3).padStart(9)}${s.p99.toFixed(3).padStart(9)}${(s.p50 / floor).toFixed(2).padStart(15)}×`);
  const twinOverHandOffMs = stats[3].p50 - stats[0].p50;
  console.log(`LocalTwin.invoke − bare hand-off, p50: ${twinOverHandOffMs.toFixed(3)} ms (the twin's own work an invoke)`);
  writeResults('handoff-floor', {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
    sides: stats,
    overLambdaLocalP50: Object.fromEntries(stats.map((s) => [s.name, s.p50 / floor])),
    twinOverHandOffP50Ms: twinOverHandOffMs,
  });
}

if (process.argv[2] === '--runtime') {
  runRuntime(Number(process.argv[3]));
} else {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
