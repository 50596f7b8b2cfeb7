// SQS event source mappings with real functions (Python and Node) on a virtual trigger clock: record shapes, success
// deleting, partial batch failure, an invalid response failing the batch, redrive to a DLQ that triggers its own
// function, FIFO order per group with deduplication, a filter that drops, and MaximumConcurrency.
import * as crypto from 'crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { NODE_RECORDER, PollTwin, PY_RECORDER } from './poll-helpers';

jest.setTimeout(120_000);

const HEAD = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';

let twin: PollTwin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

describe('SQS → Lambda', () => {
  it('delivers records shaped as Lambda sends them and deletes the batch on success', async () => {
    twin = new PollTwin('sqs-shape').load(HEAD + [
      '  Orders:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { QueueName: orders, VisibilityTimeout: 60 }',
      '  Handler:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.handler',
      '      CodeUri: py',
      '      Environment: { Variables: { OUT: $OUT/events.jsonl } }',
      '      Events:',
      '        Q: { Type: SQS, Properties: { Queue: !GetAtt Orders.Arn, BatchSize: 5 } }',
    ].join('\n'), { 'py/app.py': PY_RECORDER });
    const queue = twin.polls.queue('Orders');
    expect(queue.url).toBe('https://sqs.us-east-1.amazonaws.com/123456789012/orders');
    const sentAt = twin.clock.now();
    const id = queue.send({ body: '{"n":1}', attributes: { kind: 'order' } });
    queue.send({ body: 'plain text' });
    await twin.settle();

    const events: SQSEvent[] = twin.events('events.jsonl');
    const records: SQSRecord[] = events.flatMap((e) => e.Records);
    expect(records).toHaveLength(2);
    const r = records.find((x) => x.messageId === id)!;
    expect(r.body).toBe('{"n":1}');
    expect(r.md5OfBody).toBe(crypto.createHash('md5').update('{"n":1}').digest('hex'));
    expect(r.eventSource).toBe('aws:sqs');
    expect(r.eventSourceARN).toBe('arn:aws:sqs:us-east-1:123456789012:orders');
    expect(r.awsRegion).toBe('us-east-1');
    expect(typeof r.receiptHandle).toBe('string');
    expect(r.receiptHandle.length).toBeGreaterThan(20);
    expect(r.attributes.ApproximateReceiveCount).toBe('1');
    expect(r.attributes.SentTimestamp).toBe(String(sentAt));
    expect(r.attributes.ApproximateFirstReceiveTimestamp).toBe(String(sentAt));
    expect(typeof r.attributes.SenderId).toBe('string');
    expect(r.attributes.SequenceNumber).toBeUndefined();
    expect(r.messageAttributes).toEqual({ kind: { stringValue: 'order', stringListValues: [], binaryListValues: [], dataType: 'String' } });
    expect((r as any).md5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(queue.messages()).toEqual([]);
    expect(twin.deliveries.map((d) => d.outcome)).toEqual(['ok']);
  });

  it('returns only the reported failures, redrives them to the DLQ after maxReceiveCount, and the DLQ triggers its own function', async () => {
    twin = new PollTwin('sqs-partial').load(HEAD + [
      '  Dlq:',
      '    Type: AWS::SQS::Queue',
      '  Work:',
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      VisibilityTimeout: 30',
      '      RedrivePolicy: { deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 2 }',
      '  Worker:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.handler',
      '      CodeUri: py',
      '      Environment: { Variables: { OUT: $OUT/work.jsonl } }',
      '      Events:',
      '        Q:',
      '          Type: SQS',
      '          Properties: { Queue: !GetAtt Work.Arn, BatchSize: 10, FunctionResponseTypes: [ReportBatchItemFailures] }',
      '  DlqReader:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      CodeUri: node',
      '      Environment: { Variables: { OUT: $OUT/dlq.jsonl } }',
      '      Events:',
      '        D: { Type: SQS, Properties: { Queue: !GetAtt Dlq.Arn } }',
    ].join('\n'), {
      'py/app.py': [
        'import json, os',
        'def handler(event, context):',
        '    with open(os.environ["OUT"], "a") as f:',
        '        f.write(json.dumps(event) + "\\n")',
        '    return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"].startswith("fail")]}',
        '',
      ].join('\n'),
      'node/index.js': NODE_RECORDER,
    });
    const work = twin.polls.queue('Work');
    const okIds = ['a', 'b', 'c'].map((b) => work.send({ body: b }));
    const failId = work.send({ body: 'fail-1' });
    await twin.settle();

    const received: SQSRecord[] = twin.events('work.jsonl').flatMap((e: SQSEvent) => e.Records);
    // First batch: all four; then the failed one alone, received a second time.
    expect(received.filter((r) => okIds.includes(r.messageId)).map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '1', '1']);
    expect(received.filter((r) => r.messageId === failId).map((r) => r.attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    // The second receive came after the visibility timeout.
    const receives = received.filter((r) => r.messageId === failId).map((r) => Number(r.attributes.ApproximateFirstReceiveTimestamp));
    expect(receives[0]).toBe(receives[1]);
    expect(work.messages()).toEqual([]);
    const dlqRecords: SQSRecord[] = twin.events('dlq.jsonl').flatMap((e: SQSEvent) => e.Records);
    expect(dlqRecords.map((r) => [r.messageId, r.body])).toEqual([[failId, 'fail-1']]);
    expect(dlqRecords[0].eventSourceARN).toBe(twin.polls.queue('Dlq').arn);
    expect(twin.deliveries.map((d) => `${d.source}:${d.outcome}`)).toEqual([
      'SQS PollTest-Work:partial', 'SQS PollTest-Work:partial', 'SQS PollTest-Dlq:ok',
    ]);
  });

  it('fails the whole batch on a response naming a message not in it, and on a function error', async () => {
    twin = new PollTwin('sqs-invalid').load(HEAD + [
      '  Q:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { VisibilityTimeout: 10, RedrivePolicy: { deadLetterTargetArn: !GetAtt D.Arn, maxReceiveCount: 3 } }',
      '  D:',
      '    Type: AWS::SQS::Queue',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      CodeUri: node',
      '      Environment: { Variables: { OUT: $OUT/f.jsonl } }',
      '      Events:',
      '        E: { Type: SQS, Properties: { Queue: !GetAtt Q.Arn, FunctionResponseTypes: [ReportBatchItemFailures] } }',
    ].join('\n'), {
      'node/index.js': [
        "const fs = require('fs');",
        'exports.handler = async (event) => {',
        "  fs.appendFileSync(process.env.OUT, JSON.stringify(event) + '\\n');",
        "  if (event.Records.some((r) => r.body === 'throw')) throw new Error('boom');",
        "  return { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] };",
        '};',
        '',
      ].join('\n'),
    });
    const q = twin.polls.queue('Q');
    q.send({ body: 'x' });
    q.send({ body: 'y' });
    await twin.settle();
    const batches: SQSEvent[] = twin.events('f.jsonl');
    expect(batches.map((b) => b.Records.map((r) => r.attributes.ApproximateReceiveCount))).toEqual([['1', '1'], ['2', '2'], ['3', '3']]);
    expect(twin.deliveries.every((d) => d.outcome === 'error' && /unknown itemIdentifier not-a-message-id/.test(d.detail))).toBe(true);
    expect(q.messages()).toEqual([]);
    expect(twin.polls.queue('D').messages().map((m) => m.body).sort()).toEqual(['x', 'y']);

    twin.deliveries.length = 0;
    q.send({ body: 'throw' });
    await twin.settle();
    expect(twin.deliveries.map((d) => d.outcome)).toEqual(['error', 'error', 'error']);
    expect(twin.deliveries[0].detail).toMatch(/function error \(Error: boom\)/);
    expect(twin.polls.queue('D').messages()).toHaveLength(3);
  });

  it('keeps FIFO order per message group, one batch per group in flight, and deduplicates', async () => {
    twin = new PollTwin('sqs-fifo').load(HEAD + [
      '  Jobs:',
      '    Type: AWS::SQS::Queue',
      '    Properties: { FifoQueue: true, ContentBasedDeduplication: true }',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.handler',
      '      CodeUri: py',
      '      Environment: { Variables: { OUT: $OUT/fifo.jsonl } }',
      '      Events:',
      '        E: { Type: SQS, Properties: { Queue: !GetAtt Jobs.Arn, BatchSize: 2 } }',
    ].join('\n'), { 'py/app.py': PY_RECORDER }, false);
    const q = twin.polls.queue('Jobs');
    expect(q.fifo).toBe(true);
    expect(q.name).toBe('PollTest-Jobs.fifo');
    const first = q.send({ body: 'a1', groupId: 'a' });
    expect(q.send({ body: 'a1', groupId: 'a' })).toBe(first); // content-based deduplication
    for (const body of ['b1', 'a2', 'b2', 'a3', 'b3']) q.send({ body, groupId: body[0] });
    expect(() => q.send({ body: 'no group' })).toThrow(/MessageGroupId/);
    expect(q.messages()).toHaveLength(6);
    twin.start();
    await twin.settle();
    const records: SQSRecord[] = twin.events('fifo.jsonl').flatMap((e: SQSEvent) => e.Records);
    expect(records).toHaveLength(6);
    for (const group of ['a', 'b']) {
      expect(records.filter((r) => r.attributes.MessageGroupId === group).map((r) => r.body)).toEqual([`${group}1`, `${group}2`, `${group}3`]);
    }
    const seq = records.map((r) => BigInt(r.attributes.SequenceNumber!));
    expect(records.every((r) => typeof r.attributes.MessageDeduplicationId === 'string')).toBe(true);
    expect(new Set(seq.map(String)).size).toBe(6);
    // Batches never hold two messages of one group out of order, and BatchSize 2 is kept.
    for (const e of twin.events('fifo.jsonl') as SQSEvent[]) expect(e.Records.length).toBeLessThanOrEqual(2);
  });

  it('deletes the messages a filter drops, without invoking the function for them', async () => {
    twin = new PollTwin('sqs-filter').load(HEAD + [
      '  Q:',
      '    Type: AWS::SQS::Queue',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs22.x',
      '      Handler: index.handler',
      '      CodeUri: node',
      '      Environment: { Variables: { OUT: $OUT/filtered.jsonl } }',
      '      Events:',
      '        E:',
      '          Type: SQS',
      '          Properties:',
      '            Queue: !GetAtt Q.Arn',
      '            FilterCriteria: { Filters: [ { Pattern: \'{"body": {"kind": ["order"]}}\' } ] }',
    ].join('\n'), { 'node/index.js': NODE_RECORDER });
    const q = twin.polls.queue('Q');
    q.send({ body: JSON.stringify({ kind: 'order', id: 1 }) });
    q.send({ body: JSON.stringify({ kind: 'refund', id: 2 }) });
    q.send({ body: 'kind order' });
    await twin.settle();
    const bodies = twin.events('filtered.jsonl').flatMap((e: SQSEvent) => e.Records.map((r) => JSON.parse(r.body).id));
    expect(bodies).toEqual([1]);
    expect(q.messages()).toEqual([]);
    expect(twin.deliveries.find((d) => d.outcome === 'dropped')?.records).toBe(2);
  });

  it('leaves the queue alone while the mapping is disabled', async () => {
    twin = new PollTwin('sqs-disabled').load(HEAD + [
      '  Q:',
      '    Type: AWS::SQS::Queue',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.handler',
      '      CodeUri: py',
      '      Environment: { Variables: { OUT: $OUT/off.jsonl } }',
      '      Events:',
      '        E: { Type: SQS, Properties: { Queue: !GetAtt Q.Arn, Enabled: false } }',
    ].join('\n'), { 'py/app.py': PY_RECORDER });
    const q = twin.polls.queue('Q');
    q.send({ body: 'waits' });
    expect(twin.polls.sources.some((s) => s.busy())).toBe(false);
    await twin.settle();
    expect(twin.events('off.jsonl')).toEqual([]);
    expect(q.messages().map((m) => [m.body, m.state, m.receiveCount])).toEqual([['waits', 'visible', 0]]);
  });

  it('runs at most MaximumConcurrency batches at once', async () => {
    twin = new PollTwin('sqs-concurrency').load(HEAD + [
      '  Q:',
      '    Type: AWS::SQS::Queue',
      '  F:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: python3.12',
      '      Handler: app.handler',
      '      CodeUri: py',
      '      Environment: { Variables: { OUT: $OUT/c.jsonl } }',
      '      Events:',
      '        E: { Type: SQS, Properties: { Queue: !GetAtt Q.Arn, BatchSize: 1, ScalingConfig: { MaximumConcurrency: 2 } } }',
    ].join('\n'), { 'py/app.py': PY_RECORDER }, false);
    const spec = twin.core.specs.find((s) => s.logicalId === 'F')!;
    const runner = twin.core.runner(spec);
    const original = runner.invoke.bind(runner);
    let active = 0;
    let most = 0;
    runner.invoke = async (inv) => {
      active++;
      most = Math.max(most, active);
      try {
        return await original(inv);
      } finally {
        active--;
      }
    };
    const q = twin.polls.queue('Q');
    for (let i = 0; i < 8; i++) q.send({ body: `m${i}` });
    twin.start();
    await twin.settle();
    expect(twin.events('c.jsonl')).toHaveLength(8);
    expect(most).toBe(2);
  });
});

