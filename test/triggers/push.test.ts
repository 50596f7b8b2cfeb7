// Push triggers with real function processes: S3 notifications (filters, event shape, refused configuration),
// SNS subscriptions (filter policy, missing permission), EventBridge rules (pattern, retries exhausted into an
// on-failure destination that is itself a topic), schedules on the virtual clock.
import * as fs from 'fs';
import { Duration } from 'aws-cdk-lib';
import { recorded, writePushApp } from './push-fixture';
import { LocalTwin } from '../../src';

jest.setTimeout(120_000);

describe('push triggers', () => {
  let app: ReturnType<typeof writePushApp>;
  let twin: LocalTwin;

  beforeAll(() => {
    app = writePushApp();
    // Plain processes on purpose: the functions record what they received in a host folder.
    twin = LocalTwin.fromTemplate(app.templateFile, {
      environment: { OUT: app.out }, quiet: true, isolate: false, asyncRetryDelay: Duration.millis(20),
    });
  });

  afterAll(async () => {
    await twin?.shutdown();
    fs.rmSync(app.dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    for (const f of fs.readdirSync(app.out)) fs.rmSync(`${app.out}/${f}`);
  });

  it('sends S3 event records to the function for objects that pass the prefix and suffix filters', async () => {
    const bucket = twin.bucket('Uploads');
    expect(bucket.name).toBe('uploads');
    bucket.putObject('in/report 1.txt', 'hello');
    bucket.putObject('in/photo.png', 'png');
    bucket.putObject('out/report.txt', 'no');
    await twin.settle();
    const events = recorded(app.out, 'recorder');
    expect(events).toHaveLength(1);
    const [record] = events[0].Records;
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'in/report+1.txt', size: 5, eTag: '5d41402abc4b2a76b9719d911017c592' },
      },
    });
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
    expect(bucket.objectKeys()).toEqual(['in/photo.png', 'in/report 1.txt', 'out/report.txt']);
    // Deletes are not configured for this bucket: nothing runs.
    bucket.deleteObject('in/report 1.txt');
    await twin.settle();
    expect(recorded(app.out, 'recorder')).toHaveLength(1);
    expect(twin.triggerDeliveries().filter((d) => d.source === 'S3 Uploads')).toEqual([
      expect.objectContaining({ functionName: 'recorder', outcome: 'ok', records: 1 }),
    ]);
  });

  it('refuses an S3 notification configuration whose function does not grant s3.amazonaws.com, saying what to grant', async () => {
    expect(twin.triggerWarnings().join('\n')).toContain('S3 refuses the notification configuration Resources.Unpermitted.Properties.NotificationConfiguration.LambdaConfigurations[0]');
    twin.bucket('unpermitted').putObject('a.txt', 'x');
    await twin.settle();
    expect(recorded(app.out, 'recorder')).toHaveLength(0);
    const denied = twin.triggerDeliveries().filter((d) => d.source === 'S3 Unpermitted');
    expect(denied).toHaveLength(1);
    expect(denied[0].outcome).toBe('dropped');
    expect(denied[0].detail).toContain('AWS::Lambda::Permission for principal s3.amazonaws.com with SourceArn arn:aws:s3:::unpermitted');
  });

  it('delivers SNS messages that pass the filter policy, in the SNS record shape, and drops the others', async () => {
    const topic = twin.topic('Alerts');
    const id = topic.publish('disk full', { subject: 'Disk', attributes: { level: 'error' } });
    topic.publish('all good', { attributes: { level: 'info' } });
    await twin.settle();
    const events = recorded(app.out, 'recorder');
    expect(events).toHaveLength(1);
    const [record] = events[0].Records;
    expect(record).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      Sns: {
        Type: 'Notification',
        MessageId: id,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts',
        Subject: 'Disk',
        Message: 'disk full',
        SignatureVersion: '1',
        MessageAttributes: { level: { Type: 'String', Value: 'error' } },
      },
    });
    expect(record.EventSubscriptionArn).toMatch(/^arn:aws:sns:us-east-1:123456789012:alerts:[0-9a-f-]{36}$/);
    expect(record.Sns.UnsubscribeUrl).toContain(record.EventSubscriptionArn);
    const dropped = twin.triggerDeliveries().filter((d) => d.source === 'SNS Alerts' && d.outcome === 'dropped');
    expect(dropped).toHaveLength(1);
    expect(dropped[0].detail).toContain('filtered out by the filter policy (MessageAttributes)');
  });

  it('fails an SNS delivery to a function without the permission, naming the permission to add', async () => {
    twin.topic('silent').publish('hello');
    await twin.settle();
    expect(recorded(app.out, 'recorder')).toHaveLength(0);
    const [d] = twin.triggerDeliveries().filter((x) => x.source === 'SNS Silent');
    expect(d.outcome).toBe('dropped');
    expect(d.detail).toContain('AccessDeniedException');
    expect(d.detail).toContain('principal sns.amazonaws.com with SourceArn arn:aws:sns:us-east-1:123456789012:silent');
  });

  it('sends EventBridge events that match a rule pattern to its target', async () => {
    const result = twin.eventBus().put([
      { source: 'shop', detailType: 'OrderPlaced', detail: { orderId: 'o-1' } },
      { source: 'shop', detailType: 'OrderCancelled', detail: { orderId: 'o-2' } },
      { source: 'shop', detailType: 'OrderPlaced', detail: 'not json' },
    ]);
    expect(result.failedEntryCount).toBe(1);
    expect(result.entries[2]).toMatchObject({ errorCode: 'InvalidArgument' });
    await twin.settle();
    const events = recorded(app.out, 'recorder');
    expect(events).toEqual([{
      'version': '0',
      'id': result.entries[0].eventId,
      'detail-type': 'OrderPlaced',
      'source': 'shop',
      'account': '123456789012',
      'time': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      'region': 'us-east-1',
      'resources': [],
      'detail': { orderId: 'o-1' },
    }]);
  });

  it('runs a failing function the configured number of times, then sends the failure record to its on-failure destination (a topic, which triggers another function)', async () => {
    twin.eventBus('default').put([{ source: 'fail', detailType: 'x', detail: { n: 1 } }]);
    await twin.settle();
    const failed = twin.triggerDeliveries().filter((d) => d.functionName === 'failer');
    expect(failed).toEqual([expect.objectContaining({ outcome: 'error', detail: expect.stringContaining('RetriesExhausted after 2 attempts') })]);
    const events = recorded(app.out, 'recorder');
    expect(events).toHaveLength(1);
    const destination = JSON.parse(events[0].Records[0].Sns.Message);
    expect(destination).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:failer:$LATEST' },
      requestPayload: { 'source': 'fail', 'detail-type': 'x', 'detail': { n: 1 } },
      responseContext: { functionError: 'Unhandled' },
    });
    expect(events[0].Records[0].Sns.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:failures');
  });

  it('fires schedules only when the virtual clock is advanced, in time order', async () => {
    const start = twin.clock.now().getTime();
    expect(twin.clock.virtual).toBe(true);
    await twin.settle();
    expect(recorded(app.out, 'recorder')).toHaveLength(0);
    const before = twin.triggerDeliveries().length;
    await twin.clock.advance(Duration.hours(3));
    await twin.settle();
    const fired = twin.triggerDeliveries().slice(before).map((d) => d.source);
    expect(fired).toEqual(['Schedule Hourly', 'Scheduler reminder', 'Schedule Hourly', 'Scheduler reminder', 'Schedule Hourly']);
    const events = recorded(app.out, 'recorder');
    const ruleEvents = events.filter((e) => e['detail-type'] === 'Scheduled Event');
    expect(ruleEvents.map((e) => Date.parse(e.time)).sort((x, y) => x - y))
      .toEqual([1, 2, 3].map((h) => Math.floor((start + h * 3_600_000) / 1000) * 1000));
    expect(ruleEvents[0]).toMatchObject({ source: 'aws.events', resources: ['arn:aws:events:us-east-1:123456789012:rule/hourly'], detail: {} });
    const reminders = events.filter((e) => e.remind !== undefined);
    expect(reminders).toEqual([
      { remind: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/reminder' },
      { remind: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/reminder' },
    ]);
    expect(twin.clock.now().getTime()).toBe(start + 3 * 3_600_000);
  });

  it('names what it has when a bucket, topic or bus is not in the app', () => {
    expect(() => twin.bucket('Nope')).toThrow("No bucket 'Nope' in this app. The buckets it has: uploads, unpermitted");
    expect(() => twin.topic('Nope')).toThrow(/No topic 'Nope' in this app. The topics it has: alerts, silent, failures/);
    expect(() => twin.eventBus('Nope')).toThrow("No event bus 'Nope' in this app. The event buses it has: default");
  });
});
