// A payload that is not well-formed UTF-8 is refused over real HTTP with 400 InvalidRequestContentException, as
// Lambda does, instead of reaching the function with U+FFFD in place of the bad bytes; good UTF-8 still passes.
import * as http from 'http';
import { FIXTURE_TEMPLATE } from './helpers';
import { InvokeApiServer, LocalTwin } from '../../src';

jest.setTimeout(120_000);

describe('invalid UTF-8 in an invoke payload', () => {
  let twin: LocalTwin;
  let server: InvokeApiServer;
  beforeAll(async () => {
    twin = LocalTwin.fromTemplate(FIXTURE_TEMPLATE);
    server = await InvokeApiServer.start(twin, { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await twin?.shutdown();
  });

  const post = (body: Buffer, invocationType = 'RequestResponse'): Promise<{ status: number; errorType?: string; body: string }> =>
    new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        agent: false,
        path: '/2015-03-31/functions/echo/invocations',
        headers: { 'Content-Type': 'application/json', 'X-Amz-Invocation-Type': invocationType },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, errorType: res.headers['x-amzn-errortype'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it.each([
    ['a lone continuation byte', Buffer.from([0x22, 0x80, 0x22]), 1],
    ['a truncated two-byte sequence at the end', Buffer.concat([Buffer.from('"ab'), Buffer.from([0xc3])]), 3],
    ['an overlong encoding of "/"', Buffer.from([0x22, 0xc0, 0xaf, 0x22]), 1],
    ['an encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), 1],
    ['0xff inside a JSON string', Buffer.concat([Buffer.from('{"k":"'), Buffer.from([0xff]), Buffer.from('"}')]), 6],
  ])('refuses %s with 400 InvalidRequestContentException', async (_label, body, offset) => {
    const answer = await post(body);
    expect(answer.status).toBe(400);
    expect(answer.errorType).toBe('InvalidRequestContentException');
    expect(JSON.parse(answer.body)).toEqual(expect.objectContaining({
      Type: 'User',
      Message: expect.stringContaining(`Invalid UTF-8 byte 0x${body[offset].toString(16).padStart(2, '0')} at byte offset ${offset}`),
    }));
  });

  it('refuses it for asynchronous invocations too', async () => {
    const answer = await post(Buffer.from([0x22, 0xfe, 0x22]), 'Event');
    expect(answer.status).toBe(400);
    expect(answer.errorType).toBe('InvalidRequestContentException');
  });

  it('passes well-formed multi-byte UTF-8 to the function unchanged', async () => {
    const text = '{"word":"żółw — 🐢"}';
    const answer = await post(Buffer.from(text, 'utf8'));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).event).toEqual({ word: 'żółw — 🐢' });
  });
});
