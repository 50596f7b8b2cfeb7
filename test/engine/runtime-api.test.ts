// The Runtime API server over real HTTP: every endpoint's status codes, headers and error bodies, and a fuzz
// test that throws malformed requests at it and checks that it keeps serving.
import * as http from 'http';
import * as net from 'net';
import { PendingInvocation, RuntimeApiListener, RuntimeApiServer, RuntimeOutcome } from '../../src/engine/runtime-api/runtime-api-server';

class RecordingListener implements RuntimeApiListener {
  nexts = 0;
  initErrors: Array<{ type?: string; body: string }> = [];
  outcomes: Array<{ requestId: string; outcome: RuntimeOutcome }> = [];
  onNext(): void {
    this.nexts++;
  }
  onInitError(type: string | undefined, body: Buffer): void {
    this.initErrors.push({ type, body: body.toString() });
  }
  onOutcome(requestId: string, outcome: RuntimeOutcome): void {
    this.outcomes.push({ requestId, outcome });
  }
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function call(address: string, method: string, path: string, body?: string | Buffer, headers: http.OutgoingHttpHeaders = {}): Promise<Reply> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: Number(port), method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const invocation = (requestId: string): PendingInvocation => ({
  requestId,
  payload: Buffer.from('{"hello":"world"}'),
  deadlineMs: 1_700_000_000_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn:live',
  traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  clientContext: '{"custom":{"a":1}}',
  cognitoIdentity: '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
});

describe('Runtime API 2018-06-01', () => {
  let listener: RecordingListener;
  let server: RuntimeApiServer;
  let address: string;
  beforeEach(async () => {
    listener = new RecordingListener();
    server = new RuntimeApiServer(listener);
    address = await server.listen();
  });
  afterEach(() => server.close());

  it('accepts an init error during INIT with 202 and passes the error type on', async () => {
    const reply = await call(address, 'POST', '/2018-06-01/runtime/init/error', '{"errorType":"Runtime.ImportModuleError"}',
      { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' });
    expect(reply).toEqual(expect.objectContaining({ status: 202, body: '{"status":"OK"}' }));
    expect(listener.initErrors).toEqual([{ type: 'Runtime.ImportModuleError', body: '{"errorType":"Runtime.ImportModuleError"}' }]);
  });

  it('parks /next until an event arrives, then answers with the body and every invoke header', async () => {
    const next = call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(listener.nexts).toBe(1);
    server.deliver(invocation('req-1'));
    const reply = await next;
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('{"hello":"world"}');
    expect(reply.headers).toEqual(expect.objectContaining({
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': 'req-1',
      'lambda-runtime-deadline-ms': '1700000000000',
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:fn:live',
      'lambda-runtime-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      'lambda-runtime-client-context': '{"custom":{"a":1}}',
      'lambda-runtime-cognito-identity': '{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}',
    }));
    // After the first /next, INIT is over: an init error is a state transition Lambda refuses.
    const late = await call(address, 'POST', '/2018-06-01/runtime/init/error', '{}');
    expect(late.status).toBe(403);
    expect(JSON.parse(late.body)).toEqual({ errorType: 'InvalidStateTransition', errorMessage: expect.any(String) });
  });

  it('accepts one response for the current request id and refuses others with InvalidRequestID', async () => {
    server.deliver(invocation('req-2'));
    await call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    const wrong = await call(address, 'POST', '/2018-06-01/runtime/invocation/other-id/response', '1');
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toEqual({ errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
    const ok = await call(address, 'POST', '/2018-06-01/runtime/invocation/req-2/response', '{"a":1}', { 'Content-Type': 'application/json' });
    expect(ok.status).toBe(202);
    const twice = await call(address, 'POST', '/2018-06-01/runtime/invocation/req-2/response', '{"a":2}');
    expect(twice.status).toBe(400);
    expect(listener.outcomes).toEqual([{ requestId: 'req-2', outcome: expect.objectContaining({ kind: 'response', body: Buffer.from('{"a":1}'), contentType: 'application/json' }) }]);
  });

  it('serves requests pipelined on one connection in order: the response is taken before the next /next', async () => {
    const order: string[] = [];
    listener.onOutcome = (requestId) => order.push(`outcome ${requestId}`);
    let nextAsked!: () => void;
    const secondNext = new Promise<void>((resolve) => (nextAsked = resolve));
    listener.onNext = () => {
      order.push('next');
      nextAsked();
    };
    server.deliver(invocation('req-p'));
    const [host, port] = address.split(':');
    const socket = net.connect({ host, port: Number(port) });
    let received = '';
    const answered = new Promise<void>((resolve) => socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      // The /next answer, then the 202 and the parked second /next's event.
      if ((received.match(/HTTP\/1\.1 /g) ?? []).length === 3) resolve();
    }));
    const body = '{"ok":true}';
    // Three requests in one write: take the event, post its result, ask for the next one.
    socket.write('GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n' +
      `POST /2018-06-01/runtime/invocation/req-p/response HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
      'GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n');
    await secondNext;
    expect(order).toEqual(['outcome req-p', 'next']);
    server.deliver(invocation('req-q'));
    await answered;
    socket.destroy();
    const statuses = [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
    expect(statuses).toEqual(['200', '202', '200']);
    expect(received).toContain('Lambda-Runtime-Aws-Request-Id: req-q');
  });

  it('takes an error with its Lambda-Runtime-Function-Error-Type header', async () => {
    server.deliver(invocation('req-3'));
    await call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    const reply = await call(address, 'POST', '/2018-06-01/runtime/invocation/req-3/error', '{"errorType":"MyError"}', { 'Lambda-Runtime-Function-Error-Type': 'Function.MyError' });
    expect(reply.status).toBe(202);
    expect(listener.outcomes[0].outcome).toEqual(expect.objectContaining({ kind: 'error', errorType: 'Function.MyError' }));
  });

  it('answers 413 for a response over 6 MB and reports Function.ResponseSizeTooLarge', async () => {
    server.deliver(invocation('req-4'));
    await call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    const reply = await call(address, 'POST', '/2018-06-01/runtime/invocation/req-4/response', Buffer.alloc(6 * 1024 * 1024 + 101, 0x61));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body)).toEqual({ errorType: 'RequestEntityTooLarge', errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).' });
    expect(listener.outcomes[0].outcome.errorType).toBe('Function.ResponseSizeTooLarge');
    expect(JSON.parse(listener.outcomes[0].outcome.body.toString()).errorMessage)
      .toBe('Response payload size (6291557 bytes) exceeded maximum allowed payload size (6291556 bytes).');
  });

  it('refuses an unknown response mode, a second parked /next, wrong methods, SnapStart hooks and unknown paths', async () => {
    server.deliver(invocation('req-5'));
    await call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    const mode = await call(address, 'POST', '/2018-06-01/runtime/invocation/req-5/response', '1', { 'Lambda-Runtime-Function-Response-Mode': 'sideways' });
    expect(mode.status).toBe(400);
    expect(JSON.parse(mode.body).errorType).toBe('InvalidFunctionResponseMode');
    const unanswered = await call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    expect(unanswered.status).toBe(403);
    expect((await call(address, 'POST', '/2018-06-01/runtime/invocation/next', 'x')).status).toBe(405);
    expect((await call(address, 'GET', '/2018-06-01/runtime/init/error')).status).toBe(405);
    expect((await call(address, 'GET', '/2018-06-01/runtime/restore/next')).status).toBe(403);
    expect((await call(address, 'GET', '/2018-06-01/runtime/nothing-here')).status).toBe(404);
    expect((await call(address, 'GET', '/2019-01-01/whatever')).status).toBe(404);
  });

  it('accepts a streamed response and an error reported in its trailers', async () => {
    server.deliver(invocation('req-6'));
    await call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    const [host, port] = address.split(':');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host,
        port: Number(port),
        method: 'POST',
        path: '/2018-06-01/runtime/invocation/req-6/response',
        agent: false,
        headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked', 'Trailer': 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.write('part one,');
      req.addTrailers({
        'Lambda-Runtime-Function-Error-Type': 'Function.StreamBroke',
        'Lambda-Runtime-Function-Error-Body': Buffer.from('{"errorType":"Function.StreamBroke","errorMessage":"midway"}').toString('base64'),
      });
      req.end();
    });
    expect(status).toBe(202);
    expect(listener.outcomes[0].outcome).toEqual(expect.objectContaining({ kind: 'error', errorType: 'Function.StreamBroke', streamed: true }));
    expect(JSON.parse(listener.outcomes[0].outcome.body.toString()).errorMessage).toBe('midway');
  });

  it('survives malformed requests of every kind and keeps serving (fuzz)', async () => {
    const [host, port] = address.split(':');
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pieces = ['GET', 'POST', 'PUT', '\u0000', ' ', '/2018-06-01/runtime/invocation/', 'next', '%ZZ', '%', '/response', '/error',
      'init/error', 'HTTP/1.1', '\r\n', 'Content-Length: ', '-1', '99999999999', 'Transfer-Encoding: chunked', 'Lambda-Runtime-Function-Response-Mode: streaming',
      'ffff', '\r\n\r\n', '{"a":', 'é', '\u00ff', 'Host: x', 'Lambda-Runtime-Function-Error-Type: \u0001', '../', '?q=1', '#'];
    const send = (data: Buffer) => new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), host, () => {
        socket.end(data);
      });
      socket.on('data', () => undefined);
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 200);
    });
    for (let round = 0; round < 300; round++) {
      let text = '';
      const count = 1 + Math.floor(random() * 12);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)];
      const bytes = Buffer.from(text, 'utf8');
      if (random() < 0.2) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      await send(bytes);
    }
    // Well-formed requests with hostile values.
    server.deliver(invocation('req-7'));
    await call(address, 'GET', '/2018-06-01/runtime/invocation/next');
    for (const bad of ['%E0%A4%A', '%', 'req-7%00', encodeURIComponent('../../etc')]) {
      expect((await call(address, 'POST', `/2018-06-01/runtime/invocation/${bad}/response`, 'x')).status).toBe(400);
    }
    // Still serving: the current invocation can be answered.
    expect((await call(address, 'POST', '/2018-06-01/runtime/invocation/req-7/response', '"fine"')).status).toBe(202);
    expect(listener.outcomes.map((o) => o.requestId)).toEqual(['req-7']);
  });
});
