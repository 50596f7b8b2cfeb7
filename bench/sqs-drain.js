// SQS drain benchmark: 10,000 messages on one queue, an event source mapping with BatchSize 10 and a no-op Python
// handler; messages per second and batches per second until the queue is empty, with the mapping's default
// concurrency and with MaximumConcurrency 2, against the same number of 10-record events invoked straight on the
// function's runner (what the poller adds on top). Prints a table and writes bench/results/sqs-drain.json.
//
// Runs against the compiled library: `../lib` by default, or LAMBDA_TWIN_LIB.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { summarize, writeResults } = require('./lib/stats');

const LIB = path.resolve(process.env.LAMBDA_TWIN_LIB || path.join(__dirname, '..', 'lib'));
const { TwinCore } = require(path.join(LIB, 'engine', 'twin'));
const { createPollSources } = require(path.join(LIB, 'engine', 'triggers', 'poll-sources'));
const { VirtualTriggerClock } = require(path.join(LIB, 'engine', 'triggers', 'trigger-clock'));
const { loadTemplateFileApp } = require(path.join(LIB, 'load', 'template-file'));

const MESSAGES = Number(process.env.BENCH_SQS_MESSAGES || 10_000);
const BATCH = 10;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-bench-sqs-'));
fs.mkdirSync(path.join(work, 'code'));
fs.writeFileSync(path.join(work, 'code', 'noop.py'), 'def handler(event, context):\n    return None\n');

function template(concurrency) {
  return [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Q:',
    '    Type: AWS::SQS::Queue',
    '  Noop:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Runtime: python3.12',
    '      Handler: noop.handler',
    '      CodeUri: code',
    '      Events:',
    '        E:',
    '          Type: SQS',
    '          Properties:',
    '            Queue: !GetAtt Q.Arn',
    `            BatchSize: ${BATCH}`,
    ...(concurrency ? [`            ScalingConfig: { MaximumConcurrency: ${concurrency} }`] : []),
  ].join('\n') + '\n';
}

function twinFor(name, concurrency) {
  const file = path.join(work, `${name}.yaml`);
  fs.writeFileSync(file, template(concurrency));
  const app = loadTemplateFileApp(file, { stackName: 'Bench' });
  const core = new TwinCore(app, { stateDir: path.join(work, `state-${name}`), quiet: true });
  const clock = new VirtualTriggerClock();
  const batchTimes = [];
  let last = process.hrtime.bigint();
  let batches = 0;
  const polls = createPollSources({
    core, triggers: app.triggers, clock,
    hooks: {
      deliver: () => false,
      onDelivery: (d) => {
        if (d.outcome !== 'ok') throw new Error(`bench batch failed: ${d.detail}`);
        batches++;
        const now = process.hrtime.bigint();
        batchTimes.push(Number(now - last) / 1e6);
        last = now;
      },
    },
  });
  return { core, polls, clock, batchTimes, batchCount: () => batches, resetLast: () => (last = process.hrtime.bigint()) };
}

async function drain(polls) {
  for (;;) {
    await Promise.all(polls.sources.map((s) => s.idle()));
    if (!polls.sources.some((s) => s.busy())) return;
  }
}

async function pollerRun(name, concurrency) {
  const t = twinFor(name, concurrency);
  const queue = t.polls.queue('Q');
  // Warm the function up (its environments start) before the clock starts.
  for (const s of t.polls.sources) s.start();
  for (let i = 0; i < 50; i++) queue.send({ body: `warm-${i}` });
  await drain(t.polls);
  const warmBatches = t.batchCount();
  t.batchTimes.length = 0;
  for (let i = 0; i < MESSAGES; i++) queue.send({ body: JSON.stringify({ n: i }) });
  t.resetLast();
  const started = process.hrtime.bigint();
  await drain(t.polls);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const left = queue.messages().length;
  if (left !== 0) throw new Error(`${left} messages were left in the queue`);
  const batches = t.batchCount() - warmBatches;
  await Promise.all(t.polls.sources.map((s) => s.stop()));
  await t.core.shutdown();
  return { scenario: name, messages: MESSAGES, batches, seconds, messagesPerSecond: MESSAGES / seconds, batchesPerSecond: batches / seconds, batchGapMs: summarize(t.batchTimes) };
}

async function directRun() {
  const t = twinFor('direct', undefined);
  const spec = t.core.specs.find((s) => s.logicalId === 'Noop');
  const runner = t.core.runner(spec);
  // An event of the same shape and size as the poller's.
  const record = (i) => ({
    messageId: '059f36b4-87a3-44ab-83d2-661975830a7d', receiptHandle: 'A'.repeat(140), body: `{"n":${i}}`,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1767225600000', SenderId: 'AIDALAMBDATWINLOCAL00', ApproximateFirstReceiveTimestamp: '1767225600000' },
    messageAttributes: {}, md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3', eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:Bench-Q', awsRegion: 'us-east-1',
  });
  const event = Buffer.from(JSON.stringify({ Records: Array.from({ length: BATCH }, (_, i) => record(i)) }));
  for (let i = 0; i < 50; i++) await runner.invoke({ payload: event });
  const batches = MESSAGES / BATCH;
  const started = process.hrtime.bigint();
  // Five callers at once, as the mapping's default concurrency.
  let next = 0;
  await Promise.all(Array.from({ length: 5 }, async () => {
    while (next++ < batches) await runner.invoke({ payload: event });
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await t.core.shutdown();
  return { scenario: 'direct runner invokes (5 callers)', messages: MESSAGES, batches, seconds, messagesPerSecond: MESSAGES / seconds, batchesPerSecond: batches / seconds };
}

async function main() {
  const rows = [];
  rows.push(await pollerRun('poller, default concurrency (5)', undefined));
  rows.push(await pollerRun('poller, MaximumConcurrency 2', 2));
  rows.push(await directRun());
  console.log(`SQS drain: ${MESSAGES} messages, BatchSize ${BATCH}, no-op python3.12 handler`);
  console.log('scenario                              batches   seconds   msgs/s  batches/s');
  for (const r of rows) {
    console.log(`${r.scenario.padEnd(36)} ${String(r.batches).padStart(8)} ${r.seconds.toFixed(2).padStart(9)} ${r.messagesPerSecond.toFixed(0).padStart(8)} ${r.batchesPerSecond.toFixed(0).padStart(10)}`);
  }
  const ratio = rows[0].batchesPerSecond / rows[2].batchesPerSecond;
  console.log(`poller / direct batches per second: ${ratio.toFixed(2)}`);
  writeResults('sqs-drain', { messages: MESSAGES, batchSize: BATCH, rows, pollerToDirectRatio: ratio });
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
