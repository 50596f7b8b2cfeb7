// The floor under any twin that runs a function in a process of its own: one Node.js process hands an event to
// another over loopback HTTP, the way the Runtime API does (a parked GET /next answered with the event; the
// runtime posts the result and asks for the next event in one write), with no bookkeeping at all. Measured in the
// same run as lambda-local (in process) and LocalTwin.invoke on the same handler, blocks taking turns, so the
// ratios say how much of LocalTwin.invoke is the hand-off itself and how much is the twin.
// Variants: back to back (the next event goes out as soon as the last answer is in), after a 0.3 ms gap of busy
// work in the caller (what an SDK client between invokes looks like), and that gap with SIGSTOP/SIGCONT around it.
// Usage: node bench/handoff-floor.js [invokes a side = 4000]
'use strict';
const os = require('os');
const path = require('path');
const { startHandOff } = require('./lib/handoff');
const { summarize, writeResults } = require('./lib/stats');

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
  const payload = Buffer.from(JSON.stringify({ hello: 'world', n: 1 }));
  const handler = path.join(__dirname, 'invoke-api-functions', 'index.js');
  const event = { hello: 'world', n: 1 };
  const sides = [
    { name: 'hand-off, back to back', run: () => handOff.invoke(payload, false) },
    { name: 'hand-off after a 0.3 ms gap', gapMs: 0.3, run: () => handOff.invoke(payload, false) },
    { name: 'hand-off, gap, SIGSTOP/SIGCONT', gapMs: 0.3, run: () => handOff.invoke(payload, true), after: handOff.thaw },
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

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
