// Benchmark: event-pattern matching rate. 50 EventBridge patterns of varying operators (exact, prefix, suffix,
// anything-but, numeric, exists, cidr, equals-ignore-case, wildcard, $or, arrays, nesting) against 10,000 events of a
// realistic mix (EC2 state changes, S3 object events, an application's order events), compiled once and matched many
// times; against compiling for every event (matchesPattern) as the ratio to compare. Prints a table and writes
// bench/results/pattern-match.json.
// Usage: node bench/pattern-match.js [events=10000] [rounds=7]   (needs the compiled ../lib)
'use strict';
const path = require('path');
const { summarize, writeResults } = require('./lib/stats');

const LIB = process.env.LAMBDA_TWIN_LIB || path.join(__dirname, '..', 'lib');
const { compilePattern, matchesPattern } = require(path.join(LIB, 'engine', 'triggers', 'pattern'));

const EVENTS = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 7);

// A small deterministic generator, so every run matches the same events.
let seed = 42;
function random() {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = (list) => list[Math.floor(random() * list.length)];

const STATES = ['pending', 'running', 'stopping', 'stopped', 'shutting-down', 'terminated'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const EXTENSIONS = ['.png', '.jpg', '.txt', '.csv', '.json', '.PNG'];

function makeEvent(i) {
  const base = { 'version': '0', 'id': `id-${i}`, 'account': '123456789012', 'time': `2026-12-0${1 + (i % 9)}T10:${String(i % 60).padStart(2, '0')}:00Z`, 'region': pick(REGIONS) };
  const kind = i % 3;
  if (kind === 0) {
    return { ...base, 'source': 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification',
      'resources': [`arn:aws:ec2:${base.region}:123456789012:instance/i-${i}`],
      'detail': { 'instance-id': `i-${i}`, 'state': pick(STATES), 'ip': `10.${i % 4}.${(i >> 2) % 256}.${i % 256}` } };
  }
  if (kind === 1) {
    return { ...base, 'source': 'aws.s3', 'detail-type': pick(['Object Created', 'Object Deleted']), 'resources': ['arn:aws:s3:::my-bucket'],
      'detail': { bucket: { name: pick(['uploads', 'logs', 'images-prod']) }, object: { key: `user/${i % 50}/file-${i}${pick(EXTENSIONS)}`, size: Math.floor(random() * 5e6) } } };
  }
  return { ...base, 'source': 'com.example.orders', 'detail-type': pick(['OrderPlaced', 'OrderShipped', 'OrderCancelled']), 'resources': [],
    'detail': { order: { id: `o-${i}`, total: Math.round(random() * 50000) / 100, currency: pick(['USD', 'EUR', 'usd']), items: [{ sku: `sku-${i % 20}`, qty: 1 + (i % 4) }, { sku: `sku-${(i + 7) % 20}`, qty: 1 }] },
      customer: { tier: pick(['gold', 'silver', 'bronze', null]), country: pick(['US', 'DE', 'FR', 'JP']) }, flags: i % 5 === 0 ? ['priority'] : [] } };
}

const TEMPLATES = [
  (n) => ({ 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], 'detail': { state: [STATES[n % STATES.length]] } }),
  (n) => ({ source: ['aws.ec2'], detail: { state: [{ 'anything-but': ['running', STATES[n % STATES.length]] }] } }),
  (n) => ({ source: ['aws.ec2'], detail: { ip: [{ cidr: `10.${n % 4}.0.0/16` }] } }),
  (n) => ({ 'source': ['aws.s3'], 'detail-type': ['Object Created'], 'detail': { object: { key: [{ suffix: EXTENSIONS[n % EXTENSIONS.length] }] } } }),
  (n) => ({ source: ['aws.s3'], detail: { object: { key: [{ prefix: `user/${n % 50}/` }] } } }),
  (n) => ({ source: ['aws.s3'], detail: { object: { key: [{ wildcard: `user/*/file-*${n % 10}.png` }] } } }),
  (n) => ({ source: ['aws.s3'], detail: { object: { size: [{ numeric: ['>', n * 50_000, '<=', n * 50_000 + 2e6] }] } } }),
  (n) => ({ source: ['com.example.orders'], detail: { order: { total: [{ numeric: ['>=', n * 10] }] }, customer: { tier: ['gold'] } } }),
  (n) => ({ source: ['com.example.orders'], detail: { order: { currency: [{ 'equals-ignore-case': n % 2 ? 'usd' : 'eur' }] } } }),
  (n) => ({ source: ['com.example.orders'], detail: { order: { items: { sku: [`sku-${n % 20}`], qty: [{ numeric: ['>', 1] }] } } } }),
  (n) => ({ source: ['com.example.orders'], $or: [{ detail: { flags: ['priority'] } }, { detail: { customer: { country: [['US', 'DE', 'FR', 'JP'][n % 4]] } } }] }),
  () => ({ source: ['com.example.orders'], detail: { customer: { tier: [{ exists: true }] }, refund: [{ exists: false }] } }),
  (n) => ({ 'source': [{ prefix: 'com.example' }], 'detail-type': [{ 'anything-but': { prefix: 'Order' + ['P', 'S', 'C'][n % 3] } }] }),
  (n) => ({ region: [REGIONS[n % REGIONS.length]], resources: [{ prefix: 'arn:aws:ec2' }] }),
  (n) => ({ time: [{ prefix: `2026-12-0${1 + (n % 9)}` }], source: ['aws.ec2', 'aws.s3'] }),
];

const patterns = Array.from({ length: 50 }, (_, n) => TEMPLATES[n % TEMPLATES.length](n));
const events = Array.from({ length: EVENTS }, (_, i) => makeEvent(i));

const compileStart = process.hrtime.bigint();
const compiled = patterns.map((p) => compilePattern(p));
const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;

function matchAll() {
  let hits = 0;
  for (const e of events) for (const c of compiled) if (c.matches(e)) hits++;
  return hits;
}

// Warm up, then time rounds of every pattern against every event.
let hits = matchAll();
const roundMs = [];
for (let r = 0; r < ROUNDS; r++) {
  const start = process.hrtime.bigint();
  const h = matchAll();
  roundMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  if (h !== hits) throw new Error('matching is not deterministic');
}
hits = matchAll();
const pairs = patterns.length * events.length;
const round = summarize(roundMs);

// The same work compiling each pattern for every event (on a tenth of the events), to see what compiling once buys.
const sample = events.slice(0, Math.max(1, Math.floor(events.length / 10)));
const oneShotStart = process.hrtime.bigint();
let oneShotHits = 0;
for (const e of sample) for (const p of patterns) if (matchesPattern(p, e)) oneShotHits++;
const oneShotMs = Number(process.hrtime.bigint() - oneShotStart) / 1e6;
const oneShotRate = (patterns.length * sample.length) / (oneShotMs / 1000);
let sampleHits = 0;
for (const e of sample) for (const c of compiled) if (c.matches(e)) sampleHits++;
if (sampleHits !== oneShotHits) throw new Error('compiled and one-shot matching disagree');

const rate = pairs / (round.p50 / 1000);
const rows = [
  ['patterns × events', `${patterns.length} × ${events.length}`],
  ['matches (selectivity)', `${hits} (${((hits / pairs) * 100).toFixed(1)}%)`],
  ['compile 50 patterns', `${compileMs.toFixed(2)} ms`],
  ['round p50 / p99 / mean', `${round.p50.toFixed(1)} / ${round.p99.toFixed(1)} / ${round.mean.toFixed(1)} ms`],
  ['matches per second (compiled, p50)', `${(rate / 1e6).toFixed(2)} M pattern×event/s`],
  ['events per second against all 50', `${Math.round(events.length / (round.p50 / 1000)).toLocaleString('en-US')}`],
  ['matches per second (compile each time)', `${(oneShotRate / 1e6).toFixed(3)} M pattern×event/s`],
  ['compiled / compile-each-time', `${(rate / oneShotRate).toFixed(1)}×`],
];
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`pattern matching (${ROUNDS} rounds, node ${process.version})`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);

writeResults('pattern-match', {
  patterns: patterns.length, events: events.length, rounds: ROUNDS, hits, compileMs,
  roundMs: round, pairsPerSecond: rate, eventsPerSecond: events.length / (round.p50 / 1000),
  oneShotPairsPerSecond: oneShotRate, compiledOverOneShot: rate / oneShotRate,
});
