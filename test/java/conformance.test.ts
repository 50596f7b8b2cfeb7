// The same Maven-built package run twice: through lambda-twin's java17 runtime (our bootstrap) and through AWS's
// own aws-lambda-java-runtime-interface-client started as a provided.al2023 bootstrap against our Runtime API.
// Payloads, error bodies and log lines must agree on every case; the one difference kept on purpose (each
// LambdaLogger.log call ends its line, as CloudWatch shows one event per call) is named where it is compared.
import * as path from 'path';
import { fixtureSpec, runnerFactory, TestRunner } from '../engine/helpers';
import { describeWithPrepared } from '../prepared';

const make = runnerFactory();

/** One case: a handler, the events sent to it in order, and options. */
interface Case {
  readonly name: string;
  readonly handler: string;
  readonly events: unknown[];
  readonly timeout?: number;
  /** The LambdaLogger case: the RIC writes log() calls without a line end when no telemetry pipe is open. */
  readonly loggerLines?: boolean;
  /** The cause of a JSON parsing error is the JSON library's own exception (AWS's shaded Jackson, our reader). */
  readonly parserCause?: boolean;
}

const person = { name: 'Ann', age: 30, tags: ['a', 'b'], unknown: 'ignored' };
const sqsEvent = { Records: [{ messageId: 'm1', body: 'hello', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q', attributes: {}, messageAttributes: {} }] };
const snsEvent = { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', Sns: { Type: 'Notification', MessageId: 'x', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'hi', Timestamp: '2024-01-02T03:04:05.000Z' } }] };
const scheduledEvent = { 'version': '0', 'id': 'e1', 'detail-type': 'Scheduled Event', 'source': 'aws.events', 'account': '123456789012', 'time': '2024-01-02T03:04:05Z', 'region': 'us-east-1', 'resources': [], 'detail': {} };
const s3Event = { Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: '2024-01-02T03:04:05.000Z', eventName: 'ObjectCreated:Put', userIdentity: { principalId: 'AWS:X' }, requestParameters: { sourceIPAddress: '127.0.0.1' }, responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' }, s3: { s3SchemaVersion: '1.0', configurationId: 'c', bucket: { name: 'photos', ownerIdentity: { principalId: 'A' }, arn: 'arn:aws:s3:::photos' }, object: { key: 'a+b.jpg', size: 1024, eTag: 'e', sequencer: '0A' } } }] };
const kinesisEvent = { Records: [{ eventSource: 'aws:kinesis', eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', eventID: 'shardId-0:1', eventName: 'aws:kinesis:record', awsRegion: 'us-east-1', kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'pk', sequenceNumber: '1', data: Buffer.from('hello kinesis').toString('base64'), approximateArrivalTimestamp: 1704164645.123 } }] };
const httpApiEvent = { version: '2.0', routeKey: '$default', rawPath: '/things', rawQueryString: '', headers: { accept: '*/*' }, requestContext: { http: { method: 'POST', path: '/things', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'x' }, requestId: 'id', routeKey: '$default', stage: '$default', timeEpoch: 1704164645123 }, isBase64Encoded: false };
const apiEvent = { httpMethod: 'GET', path: '/items', queryStringParameters: { q: 'x' }, headers: { Accept: '*/*' }, isBase64Encoded: false };

const CASES: Case[] = [
  { name: 'POJO in and out (setters, getters, nulls left out)', handler: 'conformance.Handlers::pojo', events: [person] },
  { name: 'static method, long', handler: 'conformance.Handlers::twice', events: [21] },
  { name: 'String', handler: 'conformance.Handlers::shout', events: ['abc'] },
  { name: 'boxed Double to double', handler: 'conformance.Handlers::half', events: [5] },
  { name: 'boolean', handler: 'conformance.Handlers::not', events: [true] },
  { name: 'List<Integer>', handler: 'conformance.Handlers::sum', events: [[1, 2, 3]] },
  { name: 'Map with a null value', handler: 'conformance.Handlers::keys', events: [{ b: 1, a: 2 }] },
  { name: 'void', handler: 'conformance.Handlers::nothing', events: [{}] },
  { name: 'Object echo of mixed JSON', handler: 'conformance.Handlers::echo', events: [{ x: [1, 2.5, 's', null, true, { y: -3 }] }] },
  { name: 'no arguments', handler: 'conformance.Handlers::noArgs', events: [{}] },
  { name: 'the class constructed once per environment', handler: 'conformance.Handlers::counts', events: [{}, {}] },
  { name: 'Context', handler: 'conformance.Handlers::context', events: [{}] },
  { name: 'Context logger, LambdaRuntime logger, stdout, stderr', handler: 'conformance.Handlers::logs', events: ['hi'], loggerLines: true },
  { name: 'RequestStreamHandler by class name', handler: 'conformance.Streams', events: [{ a: 'b' }] },
  { name: '(InputStream, OutputStream) writing non-JSON', handler: 'conformance.Streams::raw', events: [{}] },
  { name: 'RequestHandler<Map, Integer> by class name', handler: 'conformance.Typed', events: [{ a: 6, b: 7 }] },
  { name: 'SQSEvent (Records, eventSourceARN)', handler: 'conformance.Events::sqs', events: [sqsEvent] },
  { name: 'SNSEvent (UpperCamelCase)', handler: 'conformance.Events::sns', events: [snsEvent] },
  { name: 'ScheduledEvent (detail-type, Joda time)', handler: 'conformance.Events::scheduled', events: [scheduledEvent] },
  { name: 'APIGatewayProxyRequestEvent in, response event out', handler: 'conformance.Events::api', events: [apiEvent] },
  { name: 'S3Event (Joda eventTime)', handler: 'conformance.Events::s3', events: [s3Event] },
  { name: 'KinesisEvent (base64 data, epoch-seconds Date)', handler: 'conformance.Events::kinesis', events: [kinesisEvent] },
  { name: 'APIGatewayV2HTTPEvent in, response out (plain Jackson)', handler: 'conformance.Events::httpApi', events: [httpApiEvent] },
  { name: 'unchecked exception', handler: 'conformance.Failures::unchecked', events: [{}] },
  { name: 'checked exception', handler: 'conformance.Failures::checked', events: [{}] },
  { name: 'exception without a message', handler: 'conformance.Failures::noMessage', events: [{}] },
  { name: 'exception with a cause', handler: 'conformance.Failures::withCause', events: [{}] },
  { name: 'a String parameter given an object', handler: 'conformance.Failures::wantsString', events: [{ a: 1 }], parserCause: true },
  { name: 'class not found (every invoke)', handler: 'conformance.Nope::handle', events: [{}, {}] },
  { name: 'no such method', handler: 'conformance.Handlers::nope', events: [{}] },
  { name: 'invalid handler', handler: 'conformance.Handlers::', events: [{}] },
  { name: 'static initialiser throws (init failure)', handler: 'conformance.BadStatic::handle', events: [{}] },
  { name: 'constructor throws (init failure)', handler: 'conformance.BadConstructor::handle', events: [{}] },
  { name: 'timeout', handler: 'conformance.Handlers::sleep', events: [3000], timeout: 1 },
];

/** What must agree: body, function error, reset, and the log lines the runtime wrote. */
function observed(result: Awaited<ReturnType<TestRunner['invoke']>>, c: Case) {
  const masked = (text: string) => text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request-id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>');
  // The twin's own note when an isolated runtime stays uid 0 (its bootstrap is in root's cache) is not the runtime's.
  let logs = masked(result.logs.replace(/^(START|END|REPORT|INIT_START|INIT_REPORT) .*\n/mg, '').replace(/^lambda-twin: .* is not reachable by uid \d+;.*\n/mg, ''));
  if (c.loggerLines) logs = logs.replace(/\n/g, '');
  if (c.parserCause) logs = logs.replace(/\nCaused by: [^]*$/, '');
  const body = JSON.parse(masked(JSON.stringify(result.body ?? null)));
  return { body, functionError: result.functionError, reset: result.reset, logs };
}

describeWithPrepared('java-fixtures', '1', "lambda-twin's Java runtime against AWS's runtime interface client", (dir) => {
  it(`has ${CASES.length} cases`, () => {
    expect(CASES.length).toBe(34);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const common = { handler: c.handler, timeout: c.timeout ?? 10, functionName: 'java-conformance' };
      const ours = make(fixtureSpec({ ...common, codePath: path.join(dir, 'conformance'), runtime: 'java17' }));
      const theirs = make(fixtureSpec({ ...common, codePath: path.join(dir, 'conformance-ric'), runtime: 'provided.al2023' }));
      for (const event of c.events) {
        const [a, b] = await Promise.all([ours.invoke(event), theirs.invoke(event)]);
        expect(observed(a, c)).toEqual(observed(b, c));
      }
      await Promise.all([ours.close(), theirs.close()]);
    }, 60_000);
  }
});
