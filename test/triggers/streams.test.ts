// Kinesis and DynamoDB stream event source mappings with real functions on a virtual trigger clock: record shapes,
// shards by partition key, LATEST vs TRIM_HORIZON, bisect on error, ReportBatchItemFailures checkpointing, and retry
// exhaustion into an on-failure destination (an SQS queue of the app).
import type { DynamoDBStreamEvent, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { NODE_RECORDER, PollTwin, PY_RECORDER } from './poll-helpers';

jest.setTimeout(120_000);

const HEAD = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';

let twin: PollTwin | undefined;
afterEach(async () => {
  await twin?.close();
  twin = undefined;
});

const kinesisApp = (events: string) => HEAD + [
  '  Clicks:',
  '    Type: AWS::Kinesis::Stream',
  '    Properties: { Name: clicks, ShardCount: 2 }',
  '  Failures:',
  '    Type: AWS::SQS::Queue',
  '  F:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Runtime: python3.12',
  '      Handler: app.handler',
  '      CodeUri: py',
  '      Environment: { Variables: { OUT: $OUT/k.jsonl } }',
  '      Events:',
  '        K:',
  '          Type: Kinesis',
  '          Properties:',
  '            Stream: !GetAtt Clicks.Arn',
  ...events.split('\n').map((l) => `            ${l}`),
].join('\n');

describe('Kinesis → Lambda', () => {
  it('delivers kinesis records per shard in order, from TRIM_HORIZON or only new ones from LATEST', async () => {
    twin = new PollTwin('kinesis-shape').load(kinesisApp('StartingPosition: TRIM_HORIZON\nBatchSize: 100'), { 'py/app.py': PY_RECORDER }, false);
    const stream = twin.polls.stream('Clicks');
    expect(stream.arn).toBe('arn:aws:kinesis:us-east-1:123456789012:stream/clicks');
    expect(stream.kind).toBe('kinesis');
    const before = stream.put([{ data: 'early', partitionKey: 'user-1' }]);
    twin.start();
    const seqs = stream.put(Array.from({ length: 10 }, (_, i) => ({ data: JSON.stringify({ i }), partitionKey: `user-${i % 4}` })));
    await twin.settle();
    const records: KinesisStreamRecord[] = twin.events('k.jsonl').flatMap((e: KinesisStreamEvent) => e.Records);
    expect(records).toHaveLength(11);
    const r = records.find((x) => x.kinesis.sequenceNumber === seqs[3])!;
    expect(r.kinesis.kinesisSchemaVersion).toBe('1.0');
    expect(r.kinesis.partitionKey).toBe('user-3');
    expect(Buffer.from(r.kinesis.data, 'base64').toString()).toBe('{"i":3}');
    expect(r.kinesis.approximateArrivalTimestamp).toBe(twin.clock.now() / 1000);
    expect(r.eventSource).toBe('aws:kinesis');
    expect(r.eventVersion).toBe('1.0');
    expect(r.eventName).toBe('aws:kinesis:record');
    expect(r.eventID).toMatch(new RegExp(`^shardId-00000000000[01]:${seqs[3]}$`));
    expect(r.invokeIdentityArn).toMatch(/^arn:aws:iam::123456789012:role\//);
    expect(r.awsRegion).toBe('us-east-1');
    expect(r.eventSourceARN).toBe(stream.arn);
    // One partition key, one shard; within a shard, sequence order.
    const shardOf = new Map<string, string>();
    for (const x of records) {
      const shard = x.eventID.split(':')[0];
      expect(shardOf.get(x.kinesis.partitionKey) ?? shard).toBe(shard);
      shardOf.set(x.kinesis.partitionKey, shard);
    }
    expect(new Set(shardOf.values()).size).toBe(2);
    for (const shard of new Set(shardOf.values())) {
      const inShard = records.filter((x) => x.eventID.startsWith(shard)).map((x) => BigInt(x.kinesis.sequenceNumber));
      expect(inShard).toEqual([...inShard].sort((a, b) => (a < b ? -1 : 1)));
    }
    expect(records.some((x) => x.kinesis.sequenceNumber === before[0])).toBe(true);
    await twin.close();

    twin = new PollTwin('kinesis-latest').load(kinesisApp('StartingPosition: LATEST'), { 'py/app.py': PY_RECORDER }, false);
    const latest = twin.polls.stream('clicks');
    latest.put([{ data: 'before start', partitionKey: 'p' }]);
    twin.start();
    latest.put([{ data: 'after start', partitionKey: 'p' }]);
    await twin.settle();
    const got = twin.events('k.jsonl').flatMap((e: KinesisStreamEvent) => e.Records.map((x) => Buffer.from(x.kinesis.data, 'base64').toString()));
    expect(got).toEqual(['after start']);
  });

  it('bisects a failing batch down to the bad record, then sends its metadata to the OnFailure destination', async () => {
    twin = new PollTwin('kinesis-bisect').load(kinesisApp([
      'StartingPosition: TRIM_HORIZON',
      'BatchSize: 4',
      'BisectBatchOnFunctionError: true',
      'MaximumRetryAttempts: 1',
      'DestinationConfig: { OnFailure: { Destination: !GetAtt Failures.Arn } }',
    ].join('\n')), {
      'py/app.py': [
        'import base64, json, os',
        'def handler(event, context):',
        '    data = [base64.b64decode(r["kinesis"]["data"]).decode() for r in event["Records"]]',
        '    with open(os.environ["OUT"], "a") as f:',
        '        f.write(json.dumps(data) + "\\n")',
        '    if "bad" in data:',
        '        raise ValueError("bad record")',
        '',
      ].join('\n'),
    });
    const stream = twin.polls.stream('Clicks');
    // One partition key: all four records in one shard, in this order.
    const seqs = stream.put(['r1', 'r2', 'bad', 'r4'].map((data) => ({ data, partitionKey: 'same' })));
    await twin.settle();
    expect(twin.events('k.jsonl')).toEqual([
      ['r1', 'r2', 'bad', 'r4'], // fails: split
      ['r1', 'r2'], // ok
      ['bad', 'r4'], // fails: split
      ['bad'], // fails: attempt 1
      ['bad'], // retry 1 fails: exhausted
      ['r4'], // ok
    ]);
    const failures = twin.polls.queue('Failures').messages();
    expect(failures).toHaveLength(1);
    const record = JSON.parse(failures[0].body);
    expect(record.requestContext).toEqual({ requestId: expect.any(String), functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:PollTest-F', condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record.version).toBe('1.0');
    expect(new Date(record.timestamp).toISOString()).toBe(record.timestamp);
    expect(record.KinesisBatchInfo).toEqual({
      shardId: expect.stringMatching(/^shardId-/),
      startSequenceNumber: seqs[2],
      endSequenceNumber: seqs[2],
      approximateArrivalOfFirstRecord: expect.any(String),
      approximateArrivalOfLastRecord: expect.any(String),
      batchSize: 1,
      streamArn: stream.arn,
    });
  });
});

const dynamoApp = (mapping: string) => HEAD + [
  '  Items:',
  '    Type: AWS::DynamoDB::Table',
  '    Properties:',
  '      TableName: items',
  '      KeySchema: [ { AttributeName: sk, KeyType: RANGE }, { AttributeName: pk, KeyType: HASH } ]',
  '      AttributeDefinitions: [ { AttributeName: pk, AttributeType: S }, { AttributeName: sk, AttributeType: N } ]',
  '      BillingMode: PAY_PER_REQUEST',
  '      StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }',
  '  Failures:',
  '    Type: AWS::SQS::Queue',
  '  G:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Runtime: nodejs22.x',
  '      Handler: index.handler',
  '      CodeUri: node',
  '      Environment: { Variables: { OUT: $OUT/d.jsonl } }',
  '      Events:',
  '        D:',
  '          Type: DynamoDB',
  '          Properties:',
  '            Stream: !GetAtt Items.StreamArn',
  ...mapping.split('\n').map((l) => `            ${l}`),
].join('\n');

describe('DynamoDB streams → Lambda', () => {
  it('delivers item changes in DynamoDB JSON and resumes from the lowest reported failure', async () => {
    twin = new PollTwin('ddb-checkpoint').load(dynamoApp('StartingPosition: TRIM_HORIZON\nBatchSize: 10\nFunctionResponseTypes: [ReportBatchItemFailures]'), {
      'node/index.js': [
        "const fs = require('fs');",
        'exports.handler = async (event) => {',
        "  fs.appendFileSync(process.env.OUT, JSON.stringify(event) + '\\n');",
        "  const marker = process.env.OUT + '.failed';",
        "  const bad = event.Records.find((r) => r.dynamodb.Keys.pk.S === 'k3');",
        '  if (bad && !fs.existsSync(marker)) {',
        "    fs.writeFileSync(marker, 'x');",
        "    const later = event.Records.find((r) => r.dynamodb.Keys.pk.S === 'k5');",
        '    return { batchItemFailures: [later, bad].map((r) => ({ itemIdentifier: r.dynamodb.SequenceNumber })) };',
        '  }',
        '  return { batchItemFailures: [] };',
        '};',
        '',
      ].join('\n'),
    });
    const stream = twin.polls.stream('items');
    expect(stream.kind).toBe('dynamodb');
    expect(stream.arn).toMatch(/^arn:aws:dynamodb:us-east-1:123456789012:table\/items\/stream\//);
    const seqs = stream.put([1, 2, 3, 4, 5].map((n) => ({ eventName: 'INSERT', newImage: { pk: `k${n}`, sk: n, tags: ['a'], ok: true, meta: { n } } })));
    stream.put([{ eventName: 'MODIFY', oldImage: { pk: 'k1', sk: 1, v: 1 }, newImage: { pk: 'k1', sk: 1, v: 2 } }, { eventName: 'REMOVE', oldImage: { pk: 'k2', sk: 2 } }]);
    expect(() => stream.put([{ eventName: 'INSERT', newImage: { sk: 9 } }])).toThrow(/no key attribute 'pk'/);
    const putAt = twin.clock.now();
    await twin.settle();
    const batches: DynamoDBStreamEvent[] = twin.events('d.jsonl');
    expect(batches.map((b) => b.Records.map((r) => r.dynamodb!.SequenceNumber))).toEqual([
      [...seqs, expect.any(String), expect.any(String)],
      [seqs[2], seqs[3], seqs[4], expect.any(String), expect.any(String)],
    ]);
    const [insert] = batches[0].Records;
    expect(insert.eventName).toBe('INSERT');
    expect(insert.eventSource).toBe('aws:dynamodb');
    expect(insert.eventVersion).toBe('1.1');
    expect(insert.awsRegion).toBe('us-east-1');
    expect(insert.eventSourceARN).toBe(stream.arn);
    expect(insert.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(insert.dynamodb).toEqual({
      ApproximateCreationDateTime: Math.floor(putAt / 1000),
      Keys: { pk: { S: 'k1' }, sk: { N: '1' } },
      NewImage: { pk: { S: 'k1' }, sk: { N: '1' }, tags: { L: [{ S: 'a' }] }, ok: { BOOL: true }, meta: { M: { n: { N: '1' } } } },
      SequenceNumber: seqs[0],
      SizeBytes: expect.any(Number),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    });
    const modify = batches[0].Records[5];
    expect(modify.eventName).toBe('MODIFY');
    expect(modify.dynamodb!.OldImage).toEqual({ pk: { S: 'k1' }, sk: { N: '1' }, v: { N: '1' } });
    expect(modify.dynamodb!.NewImage!.v).toEqual({ N: '2' });
    const remove = batches[0].Records[6];
    expect(remove.eventName).toBe('REMOVE');
    expect(remove.dynamodb!.NewImage).toBeUndefined();
    expect(twin.deliveries.map((d) => d.outcome)).toEqual(['partial', 'ok']);
  });

  it('gives up after MaximumRetryAttempts and sends DDBStreamBatchInfo to the OnFailure queue, which triggers nothing else', async () => {
    twin = new PollTwin('ddb-exhaust').load(dynamoApp([
      'StartingPosition: LATEST',
      'MaximumRetryAttempts: 2',
      'DestinationConfig: { OnFailure: { Destination: !GetAtt Failures.Arn } }',
    ].join('\n')), {
      'node/index.js': "exports.handler = async () => { throw new Error('always'); };\n",
    });
    const stream = twin.polls.stream('Items');
    const [seq] = stream.put([{ eventName: 'INSERT', newImage: { pk: 'a', sk: 1 } }]);
    const start = twin.clock.now();
    await twin.settle();
    expect(twin.deliveries.map((d) => d.outcome)).toEqual(['error', 'error', 'error', 'dropped']);
    // Retries waited on the clock (1 s, then 2 s), which settle fast-forwarded.
    expect(twin.clock.now() - start).toBeGreaterThanOrEqual(3000);
    const [message] = twin.polls.queue('Failures').messages();
    const record = JSON.parse(message.body);
    expect(record.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(record.requestContext.approximateInvokeCount).toBe(3);
    expect(record.DDBStreamBatchInfo).toMatchObject({ startSequenceNumber: seq, endSequenceNumber: seq, batchSize: 1, streamArn: stream.arn });
    expect(twin.sent.map((s) => s.arn)).toEqual([twin.polls.queue('Failures').arn]);
  });

  it('skips records a filter does not match', async () => {
    twin = new PollTwin('ddb-filter').load(dynamoApp('StartingPosition: TRIM_HORIZON\nFilterCriteria: { Filters: [ { Pattern: \'{"eventName": ["REMOVE"]}\' } ] }'), { 'node/index.js': NODE_RECORDER });
    const stream = twin.polls.stream('Items');
    stream.put([{ eventName: 'INSERT', newImage: { pk: 'a', sk: 1 } }, { eventName: 'REMOVE', oldImage: { pk: 'a', sk: 1 } }]);
    await twin.settle();
    const names = twin.events('d.jsonl').flatMap((e: DynamoDBStreamEvent) => e.Records.map((r) => r.eventName));
    expect(names).toEqual(['REMOVE']);
  });
});
