// Shared by the benchmarks: percentiles of latency samples, and the function spec the engine benches run.
'use strict';
const fs = require('fs');
const path = require('path');

/** The p-th percentile of an ascending array (nearest rank). */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** p50, p99 and mean of samples in ms. */
function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

/** A zip-package function spec for FunctionRunner with Lambda's defaults; `overrides` sets the rest. */
function benchSpec(overrides) {
  return {
    logicalId: 'Hello', stackName: 'Bench', packageType: 'Zip', memorySize: 256, timeout: 10, ephemeralStorage: 512,
    architectures: ['x86_64'], environment: {}, layers: [], permissions: [], versions: [], aliases: [],
    region: 'us-east-1', accountId: '123456789012', warnings: [], ...overrides,
  };
}

/** Writes a benchmark's results to bench/results/<name>.json and says where. */
function writeResults(name, results) {
  const out = path.join(__dirname, '..', 'results', `${name}.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

module.exports = { percentile, summarize, benchSpec, writeResults };
