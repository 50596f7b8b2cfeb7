// Malformed requests against the Invoke API: bad JSON, huge and truncated bodies, unknown functions, bad
// qualifiers, odd headers, wrong methods and paths, broken HTTP. Only documented 4xx errors come back, never a
// 500 or a crash: the server still answers a good request afterwards.
import * as http from 'http';
import * as net from 'net';
import * as fc from 'fast-check';
import { FIXTURE_TEMPLATE } from './helpers';
import { InvokeApiServer, LocalTwin } from '../../src';

jest.setTimeout(120_000);

interface Answer {
  readonly status: number;
  readonly errorType?: string;
  readonly body: string;
}

const DOCUMENTED: Record<number, string[]> = {
  400: ['InvalidParameterValueException', 'InvalidRequestContentException'],
  403: ['AccessDeniedException'],
  404: ['ResourceNotFoundException', 'UnknownOperationException'],
  405: ['MethodNotAllowedException'],
  413: ['RequestEntityTooLargeException'],
};

describe('the Invoke API under malformed input', () => {
  let twin: LocalTwin;
  let server: InvokeApiServer;
  let port: number;
  beforeAll(async () => {
    twin = LocalTwin.fromTemplate(FIXTURE_TEMPLATE);
    server = await InvokeApiServer.start(twin, { port: 0 });
    port = server.port;
  });
  afterAll(async () => {
    await server?.close();
    await twin?.shutdown();
  });

  const send = (method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, errorType: res.headers['x-amzn-errortype'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });

  const expectDocumented = (answer: Answer) => {
    if (answer.status < 300) return;
    expect(Object.keys(DOCUMENTED).map(Number)).toContain(answer.status);
    expect(DOCUMENTED[answer.status]).toContain(answer.errorType);
    const parsed = JSON.parse(answer.body);
    expect(parsed).toEqual(expect.objectContaining({ Type: 'User', Message: expect.any(String) }));
  };

  const invocations = (name: string, qualifier?: string) =>
    `/2015-03-31/functions/${encodeURIComponent(name)}/invocations${qualifier !== undefined ? `?Qualifier=${encodeURIComponent(qualifier)}` : ''}`;

  it('answers random bodies for a real function with 200 or InvalidRequestContentException', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string(), fc.json(), fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString('latin1'))), async (body) => {
      const answer = await send('POST', invocations('echo'), { 'Content-Type': 'application/json' }, body);
      expectDocumented(answer);
      let valid = true;
      try {
        if (body.length > 0) JSON.parse(Buffer.from(body, 'utf8').toString('utf8'));
      } catch {
        valid = false;
      }
      expect(answer.status).toBe(valid ? 200 : 400);
    }), { numRuns: 60 });
  });

  it('answers random function names and qualifiers with documented 4xx errors', async () => {
    const qualifiers = fc.option(fc.string({ maxLength: 140 }), { nil: undefined });
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 300 }), qualifiers, async (name, qualifier) => {
      const answer = await send('POST', invocations(name, qualifier), {}, '{}');
      expectDocumented(answer);
    }), { numRuns: 150 });
  });

  it('answers random header values with documented errors', async () => {
    const headerValue = fc.string({ maxLength: 5000 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'));
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('X-Amz-Invocation-Type', 'X-Amz-Log-Type', 'X-Amz-Client-Context', 'X-Lambda-Twin-Principal', 'X-Lambda-Twin-Source-Arn', 'Authorization'),
      headerValue,
      async (name, value) => {
        const answer = await send('POST', invocations('echo'), { [name]: value }, '{}');
        expectDocumented(answer);
      }), { numRuns: 120 });
  });

  it('answers wrong methods and paths', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'POST'),
      fc.oneof(fc.webPath(), fc.constantFrom('/2015-03-31/functions/echo/invocations', '/2015-03-31/functions//invocations', '/2015-03-31/functions/%E0%A4%A/invocations', '/', '//x', '/2021-11-15/functions/echo/response-streaming-invocations')),
      async (method, path) => {
        const answer = await send(method, path || '/', {}, method === 'GET' || method === 'OPTIONS' ? undefined : '{}');
        expectDocumented(answer);
        if (method !== 'POST') expect(answer.status).not.toBe(200);
      }), { numRuns: 120 });
  });

  it('answers bodies past the limits with RequestEntityTooLargeException', async () => {
    expectDocumented(await send('POST', invocations('echo'), {}, Buffer.alloc(7 * 1024 * 1024, 0x20)));
    const huge = await send('POST', invocations('echo'), {}, Buffer.alloc(30 * 1024 * 1024, 0x20)).catch(() => undefined);
    // Past the hard limit the server may close before the upload ends; if the answer arrives it is a 413.
    if (huge) expect(huge.status).toBe(413);
  });

  it('survives truncated bodies, lying Content-Length and broken HTTP', async () => {
    const raw = (text: string) => new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
      let got = '';
      socket.on('data', (d) => (got += d));
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
      socket.setTimeout(3000, () => socket.destroy());
    });
    await raw('POST /2015-03-31/functions/echo/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"trunc');
    expect(await raw('THIS IS NOT HTTP\r\n\r\n')).toMatch(/^HTTP\/1.1 400/);
    expect(await raw('POST /2015-03-31/functions/echo/invocations HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')).toMatch(/^HTTP\/1.1 400/);
    await raw('POST /2015-03-31/functions/echo/invocations HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
  });

  it('still answers a good request afterwards', async () => {
    const answer = await send('POST', invocations('echo'), {}, '{"still":"alive"}');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).event).toEqual({ still: 'alive' });
  });
});
