// Response streaming in the engine: Node handlers wrapped in awslambda.streamifyResponse post their response as a
// chunked stream through the Runtime API, the runner hands the pieces on as they arrive, and failures (non-async
// handler, a throw mid-stream, a timeout) reach the caller as Lambda reports them.
import * as http from 'http';
import * as path from 'path';
import { FIXTURES, fixtureSpec, runnerFactory } from './helpers';
import { RuntimeApiServer, RuntimeOutcome } from '../../src/engine/runtime-api/runtime-api-server';

const make = runnerFactory();
const streaming = (handler: string, timeout = 3) =>
  fixtureSpec({ codePath: path.join(FIXTURES, 'node-streaming'), runtime: 'nodejs20.x', handler: `index.${handler}`, timeout });

/** Invokes and records each streamed piece with the time it arrived. */
async function invokeStreaming(fn: ReturnType<typeof make>, event: unknown = {}) {
  const pieces: Array<{ text: string; at: number }> = [];
  const result = await fn.invoke(event, { onResponseChunk: (chunk: Buffer) => pieces.push({ text: chunk.toString('utf8'), at: Date.now() }) });
  return { result, pieces, finishedAt: Date.now(), streamedText: pieces.map((p) => p.text).join('') };
}

describe('a streamifyResponse handler', () => {
  it('streams its writes as they happen, before the handler has finished', async () => {
    const fn = make(streaming('paced'));
    const { result, pieces, finishedAt, streamedText } = await invokeStreaming(fn, { first: 'one;', pauseMs: 300 });
    expect(result.functionError).toBeUndefined();
    expect(result.streamed).toBe(true);
    expect(streamedText).toMatch(/^one;second@\d+;$/);
    // The whole response is still there for a caller of the buffered Invoke.
    expect(result.payload.toString('utf8')).toBe(streamedText);
    expect(result.contentType).toBe('application/octet-stream');
    // The first piece arrived before the handler wrote its second one, which it did after its pause.
    const secondWrittenAt = Number(/second@(\d+)/.exec(streamedText)![1]);
    expect(pieces[0].text).toBe('one;');
    expect(pieces[0].at).toBeLessThan(secondWrittenAt);
    expect(pieces[0].at).toBeLessThan(finishedAt);
    expect(result.logs).toMatch(/REPORT RequestId/);
  });

  it('fails a handler that does not return a promise with the runtime\'s own message', async () => {
    const fn = make(streaming('notAsync'));
    const { result, streamedText } = await invokeStreaming(fn);
    expect(result.functionError).toBe('Unhandled');
    expect(result.body).toEqual({ errorType: 'string', errorMessage: 'Streaming does not support non-async handlers.', trace: [] });
    expect(result.errorType).toBe('string');
    // What the handler wrote before returning went out; the runtime then closed the stream with the error.
    expect(streamedText).toBe('early;');
    expect(result.logs).toMatch(/ERROR\tInvoke Error/);
  });

  it('reports a throw after the first bytes through the trailers, keeping what was streamed', async () => {
    const fn = make(streaming('throwsMidStream'));
    const { result, streamedText } = await invokeStreaming(fn);
    expect(streamedText).toBe('partial;');
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('TypeError');
    expect(result.body.errorMessage).toBe('stream broke');
    expect(result.body.trace[0]).toBe('TypeError: stream broke');
    expect(result.streamed).toBe(true);
    expect(result.logs).toMatch(/INFO\tabout to fail/);
    // The environment stays usable: a failed stream is an ordinary function error.
    expect(result.reset).toBe(false);
    const again = await invokeStreaming(fn);
    expect(again.result.coldStart).toBe(false);
    expect(again.streamedText).toBe('partial;');
  });

  it('writes the HTTP integration prelude and its delimiter before the body (HttpResponseStream.from)', async () => {
    const fn = make(streaming('httpResponse'));
    const { result } = await invokeStreaming(fn);
    expect(result.contentType).toBe('application/vnd.awslambda.http-integration-response');
    const bytes = result.payload;
    const delimiter = bytes.indexOf(Buffer.alloc(8));
    expect(JSON.parse(bytes.subarray(0, delimiter).toString('utf8'))).toEqual({ statusCode: 201, headers: { 'x-kind': 'streamed' } });
    expect(bytes.subarray(delimiter + 8).toString('utf8')).toBe('<p>hello</p>');
  });

  it('takes a content type, sends non-bytes writes as JSON, and accepts a pipeline into the stream', async () => {
    const fn = make(streaming('piped'));
    const { result, streamedText } = await invokeStreaming(fn);
    expect(result.functionError).toBeUndefined();
    expect(result.contentType).toBe('text/plain');
    expect(streamedText).toBe(`${JSON.stringify({ requestId: result.requestId, remaining: true })}-a-b-c`);
  });

  it('refuses a content type set after the first write', async () => {
    const fn = make(streaming('lateContentType'));
    const { result } = await invokeStreaming(fn);
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('Runtime.InvalidStreamingOperation');
    expect(result.body.errorMessage).toBe('Cannot set content-type, too late.');
  });

  it('runs into the timeout when the handler returns without ending the stream, as on Lambda', async () => {
    const fn = make(streaming('neverEnds', 1));
    const { result } = await invokeStreaming(fn);
    expect(result.errorType).toBe('Sandbox.Timedout');
    expect(result.logs).toMatch(/WARN\tStreaming handlers ignore return values\./);
  });

  it('times out mid-stream as Sandbox.Timedout, after the first piece was delivered', async () => {
    const fn = make(streaming('slow', 1));
    const { result, streamedText } = await invokeStreaming(fn);
    expect(streamedText).toBe('started;');
    expect(result.errorType).toBe('Sandbox.Timedout');
    expect(result.timedOut).toBe(true);
    expect(result.reset).toBe(true);
  });

  it('reports an uncaught exception mid-stream as the invoke\'s error, and resets the environment', async () => {
    const fn = make(streaming('crashesMidStream'));
    const { result, streamedText } = await invokeStreaming(fn);
    expect(streamedText).toBe('before the crash;');
    expect(result.errorType).toBe('RangeError');
    expect(result.body.errorMessage).toBe('process-level failure');
    expect(result.reset).toBe(true);
    expect(result.logs).toMatch(/Uncaught Exception/);
  });

  it('reuses the warm environment for the next streamed invoke', async () => {
    const fn = make(streaming('counter'));
    const first = await invokeStreaming(fn);
    const second = await invokeStreaming(fn);
    expect(first.streamedText).toBe('invoke 1');
    expect(second.streamedText).toBe('invoke 2');
    expect(second.result.coldStart).toBe(false);
  });

  it('fails INIT for a handler marked with an unknown streaming mode', async () => {
    const fn = make(streaming('malformed'));
    const { result } = await invokeStreaming(fn);
    expect(result.errorType).toBe('Runtime.MalformedStreamingHandler');
    expect(result.body.errorMessage).toBe('Only response streaming is supported.');
  });

  it('leaves buffered handlers alone: no pieces, the whole response at the end', async () => {
    const fn = make(streaming('buffered'));
    const { result, pieces } = await invokeStreaming(fn, { n: 1 });
    expect(pieces).toEqual([]);
    expect(result.streamed).toBe(false);
    expect(result.body).toEqual({ buffered: true, event: { n: 1 } });
  });
});

describe('the Runtime API with a streamed response', () => {
  let server: RuntimeApiServer;
  const events: string[] = [];
  let outcome: RuntimeOutcome | undefined;
  let api = '';
  beforeAll(async () => {
    server = new RuntimeApiServer({
      onNext: () => undefined,
      onInitError: () => undefined,
      onOutcome: (_id, o) => {
        outcome = o;
        events.push('outcome');
      },
      onResponseChunk: (_id, chunk) => events.push(`chunk:${chunk.toString('utf8')}`),
    });
    api = await server.listen();
  });
  afterAll(() => server.close());

  function post(requestId: string, headers: http.OutgoingHttpHeaders): http.ClientRequest {
    const [host, port] = api.split(':');
    return http.request({ host, port: Number(port), method: 'POST', path: `/2018-06-01/runtime/invocation/${requestId}/response`, headers, agent: false });
  }

  function answered(req: http.ClientRequest): Promise<number> {
    return new Promise((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
    });
  }

  it('hands each chunk on while the body is still open, then the whole body, and reads trailers as the error', async () => {
    events.length = 0;
    server.deliver({ requestId: 'req-1', payload: Buffer.from('{}'), deadlineMs: Date.now() + 10_000, invokedFunctionArn: 'arn' });
    const req = post('req-1', {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      'Trailer': 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
    });
    const status = answered(req);
    req.write('alpha');
    await waitFor(() => events.includes('chunk:alpha'));
    expect(events).toEqual(['chunk:alpha']); // no outcome yet: the stream is open
    const errorBody = { errorType: 'Error', errorMessage: 'late failure', trace: [] };
    req.addTrailers({ 'Lambda-Runtime-Function-Error-Type': 'Error', 'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(errorBody)).toString('base64') });
    req.end('beta');
    expect(await status).toBe(202);
    expect(events).toEqual(['chunk:alpha', 'chunk:beta', 'outcome']);
    expect(outcome).toMatchObject({ kind: 'error', errorType: 'Error', streamed: true });
    expect(JSON.parse(outcome!.body.toString('utf8'))).toEqual(errorBody);
  });

  it('does not hand on the body of a buffered response piece by piece', async () => {
    events.length = 0;
    server.deliver({ requestId: 'req-2', payload: Buffer.from('{}'), deadlineMs: Date.now() + 10_000, invokedFunctionArn: 'arn' });
    const req = post('req-2', { 'Content-Type': 'application/json', 'Content-Length': 4 });
    const status = answered(req);
    req.end('"ok"');
    expect(await status).toBe(202);
    expect(events).toEqual(['outcome']);
    expect(outcome).toMatchObject({ kind: 'response', streamed: false });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
