// InvokeWithResponseStream driven by the AWS SDK for JavaScript v3, unchanged but for `endpoint`: PayloadChunk
// events arrive while the function still runs, then InvokeComplete with the error and the log tail; and the same
// operation through LocalTwin.invokeWithResponseStream.
import * as http from 'http';
import * as path from 'path';
import { InvokeWithResponseStreamCommand, InvokeWithResponseStreamCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaClient } from './helpers';
import { InvokeApiServer, LocalTwin } from '../../src';
import { crc32, encodeEventStreamMessage, tableCrc32 } from '../../src/engine/invoke-api/event-stream';

const STREAMING_TEMPLATE = path.join(__dirname, 'fixtures', 'streaming', 'template.yaml');

/** Reads the whole event stream, noting when each event arrived. */
async function collect(out: InvokeWithResponseStreamCommandOutput) {
  const chunks: Array<{ text: string; at: number }> = [];
  let complete: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string; at: number } | undefined;
  for await (const event of out.EventStream!) {
    if (event.PayloadChunk) chunks.push({ text: Buffer.from(event.PayloadChunk.Payload ?? []).toString('utf8'), at: Date.now() });
    if (event.InvokeComplete) complete = { ...event.InvokeComplete, at: Date.now() };
  }
  return { chunks, complete, text: chunks.map((c) => c.text).join('') };
}

describe('InvokeWithResponseStream through the AWS SDK', () => {
  let twin: LocalTwin;
  let server: InvokeApiServer;
  let lambda: LambdaClient;
  beforeAll(async () => {
    twin = LocalTwin.fromTemplate(STREAMING_TEMPLATE);
    server = await InvokeApiServer.start(twin, { port: 0 });
    lambda = lambdaClient(server.url);
  });
  afterAll(async () => {
    lambda?.destroy();
    await server?.close();
    await twin?.shutdown();
  });

  it('delivers PayloadChunk events in order while the function runs, then InvokeComplete', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({
      FunctionName: 'paced',
      Payload: Buffer.from(JSON.stringify({ first: 'hello;', pauseMs: 300 })),
    }));
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.ResponseStreamContentType).toBe('application/vnd.amazon.eventstream');
    const { chunks, complete, text } = await collect(out);
    expect(text).toMatch(/^hello;second@\d+;$/);
    expect(chunks[0].text).toBe('hello;');
    // The first chunk was in the caller's hands before the function wrote its second one (after its pause).
    const secondWrittenAt = Number(/second@(\d+)/.exec(text)![1]);
    expect(chunks[0].at).toBeLessThan(secondWrittenAt);
    expect(chunks[0].at).toBeLessThan(complete!.at);
    expect(complete).toEqual({ at: complete!.at });
  });

  it('ends a stream that failed midway with InvokeComplete carrying ErrorCode, ErrorDetails and, for Tail, LogResult', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'breaks-mid-stream', LogType: 'Tail' }));
    expect(out.StatusCode).toBe(200); // Lambda answers 200 even when the function fails
    const { complete, text } = await collect(out);
    expect(text).toBe('partial;');
    expect(complete!.ErrorCode).toBe('TypeError');
    expect(complete!.ErrorDetails).toBe('stream broke');
    const log = Buffer.from(complete!.LogResult!, 'base64').toString('utf8');
    expect(log).toMatch(/INFO\tabout to fail/);
    expect(log).toMatch(/REPORT RequestId: [0-9a-f-]+/);
  });

  it('reports a timeout mid-stream as Sandbox.Timedout after the chunks that made it', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'slow' }));
    const { complete, text } = await collect(out);
    expect(text).toBe('started;');
    expect(complete!.ErrorCode).toBe('Sandbox.Timedout');
    expect(complete!.ErrorDetails).toMatch(/Task timed out after 1\.00 seconds/);
    expect(complete!.LogResult).toBeUndefined();
  });

  it('streams a buffered function\'s response as one chunk', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'buffered', Payload: Buffer.from('{"n":2}') }));
    const { chunks, complete } = await collect(out);
    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0].text)).toEqual({ buffered: true, event: { n: 2 } });
    expect(complete!.ErrorCode).toBeUndefined();
  });

  it('runs the version an alias points to', async () => {
    const out = await lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'paced', Qualifier: 'live', Payload: Buffer.from('{"pauseMs":0}') }));
    expect(out.ExecutedVersion).toBe('1');
    expect((await collect(out)).text).toMatch(/^first;second@/);
  });

  it('answers errors found before the function runs as ordinary Invoke API errors', async () => {
    await expect(lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'no-such-function' })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'paced', InvocationType: 'Event' as any })))
      .rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(lambda.send(new InvokeWithResponseStreamCommand({ FunctionName: 'paced', Payload: Buffer.from('{not json') })))
      .rejects.toMatchObject({ name: 'InvalidRequestContentException' });
  });

  it('answers DryRun with 204 and no events', async () => {
    const response = await rawPost(`${server.url}/2021-11-15/functions/paced/response-streaming-invocations`, { 'X-Amz-Invocation-Type': 'DryRun' });
    expect(response.statusCode).toBe(204);
    expect(response.body.length).toBe(0);
  });
});

describe('LocalTwin.invokeWithResponseStream', () => {
  let twin: LocalTwin;
  beforeAll(() => {
    twin = LocalTwin.fromTemplate(STREAMING_TEMPLATE);
  });
  afterAll(() => twin?.shutdown());

  it('collects the streamed response and says how many pieces it came in', async () => {
    const result = await twin.invokeWithResponseStream('paced', { event: { first: 'a;', pauseMs: 200 } });
    expect(result.statusCode).toBe(200);
    expect(result.rawPayload).toMatch(/^a;second@\d+;$/);
    expect(result.streamedChunks).toBeGreaterThanOrEqual(2);
    expect(result.functionError).toBeUndefined();
    expect(result.errorDetails).toBeUndefined();
  });

  it('keeps what was streamed before a failure, with the error type and message', async () => {
    const result = await twin.invokeWithResponseStream('breaks-mid-stream');
    expect(result.rawPayload).toBe('partial;');
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('TypeError');
    expect(result.errorDetails).toBe('stream broke');
  });

  it('gives a buffered function\'s response whole, in no streamed pieces', async () => {
    const result = await twin.invokeWithResponseStream('buffered', { event: { n: 3 } });
    expect(result.payload).toEqual({ buffered: true, event: { n: 3 } });
    expect(result.streamedChunks).toBe(0);
  });

  it('refuses the Event invocation type', async () => {
    await expect(twin.invokeWithResponseStream('paced', { invocationType: 'Event' })).rejects.toMatchObject({ code: 'InvalidParameterValueException' });
  });
});

describe('event-stream framing', () => {
  it('computes CRC-32 as zlib does, also without zlib.crc32 (Node before 20.15)', () => {
    const data = Buffer.from('123456789');
    expect(tableCrc32(data)).toBe(0xcbf43926);
    expect(crc32(data)).toBe(0xcbf43926);
    const random = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) % 256));
    expect(tableCrc32(random)).toBe(crc32(random));
  });

  it('lays a message out as prelude, string headers, payload and message CRC', () => {
    const message = encodeEventStreamMessage({ ':event-type': 'PayloadChunk' }, Buffer.from('hi'));
    const headersLength = 1 + ':event-type'.length + 1 + 2 + 'PayloadChunk'.length;
    expect(message.readUInt32BE(0)).toBe(message.length);
    expect(message.readUInt32BE(4)).toBe(headersLength);
    expect(message.readUInt32BE(8)).toBe(crc32(message.subarray(0, 8)));
    expect(message.subarray(12 + headersLength, 12 + headersLength + 2).toString()).toBe('hi');
    expect(message.readUInt32BE(message.length - 4)).toBe(crc32(message.subarray(0, message.length - 4)));
  });
});

function rawPost(url: string, headers: http.OutgoingHttpHeaders): Promise<{ statusCode: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'Content-Length': 0, ...headers } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}
