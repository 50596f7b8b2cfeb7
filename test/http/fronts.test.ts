// The HTTP fronts of a real CDK app (REST API, HTTP API, Function URLs), driven with fetch through the local server
// as a client would call API Gateway and Lambda: events, responses, errors, CORS, binary bodies and streaming.
import * as http from 'http';
import { httpTestStack } from './app-stack';
import { FUNCTION_URL_EXAMPLE, HTTP_V2_EXAMPLE, REST_EXAMPLE } from './fixtures/documented-events';
import { LocalTwin } from '../../src';

jest.setTimeout(120_000);

/** Every key of `documented` is in `actual` with a value of the same JSON type (recursing into objects). */
function expectSameShape(actual: any, documented: any, where = 'event'): void {
  for (const [key, value] of Object.entries(documented)) {
    if (value === undefined) continue;
    expect({ where: `${where}.${key}`, present: key in actual }).toEqual({ where: `${where}.${key}`, present: true });
    const kind = (v: any): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
    if (value !== null && actual[key] !== null) {
      expect({ where: `${where}.${key}`, type: kind(actual[key]) }).toEqual({ where: `${where}.${key}`, type: kind(value) });
      if (kind(value) === 'object' && !['headers', 'multiValueHeaders', 'queryStringParameters', 'multiValueQueryStringParameters', 'pathParameters', 'stageVariables'].includes(key)) {
        expectSameShape(actual[key], value, `${where}.${key}`);
      }
    }
  }
}

describe('HTTP fronts of a CDK app', () => {
  let twin: LocalTwin;
  beforeAll(() => {
    twin = LocalTwin.fromStack(httpTestStack(), { quiet: true });
  });
  afterAll(async () => {
    await twin?.shutdown();
  });

  describe('REST API', () => {
    it('builds the proxy event with path, query, multi-value headers and stage variables', async () => {
      const r = await twin.fetch('Rest', '/items/42?a=1&a=2', { headers: { 'X-Custom': 'v' } });
      expect(r.status).toBe(200);
      expect(r.headers['x-echo']).toBe('yes');
      expect(r.headers['x-multi']).toBe('one, two');
      const event = JSON.parse(r.body);
      expectSameShape(event, REST_EXAMPLE);
      expect(event.resource).toBe('/items/{id}');
      expect(event.path).toBe('/items/42');
      expect(event.httpMethod).toBe('GET');
      expect(event.pathParameters).toEqual({ id: '42' });
      expect(event.queryStringParameters).toEqual({ a: '2' });
      expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
      expect(event.headers['X-Custom']).toBe('v');
      expect(event.multiValueHeaders['X-Custom']).toEqual(['v']);
      expect(event.stageVariables).toEqual({ color: 'blue' });
      expect(event.requestContext.stage).toBe('dev');
      expect(event.requestContext.path).toBe('/dev/items/42');
      expect(event.requestContext.resourcePath).toBe('/items/{id}');
      expect(event.requestContext.accountId).toBe('123456789012');
      expect(event.requestContext.identity.sourceIp).toBe('127.0.0.1');
      expect(event.requestContext.requestTime).toMatch(/^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
      expect(r.headers['x-amzn-requestid']).toBe(event.requestContext.requestId);
      expect(event.body).toBeNull();
      expect(event.isBase64Encoded).toBe(false);
    });

    it('sends null for empty query, path and header-free maps', async () => {
      const event = JSON.parse((await twin.fetch('Rest', '/items')).body);
      expect(event.queryStringParameters).toBeNull();
      expect(event.multiValueQueryStringParameters).toBeNull();
      expect(event.pathParameters).toBeNull();
    });

    it('prefers a literal path over {param} over {proxy+}', async () => {
      expect(JSON.parse((await twin.fetch('Rest', '/items/42')).body).resource).toBe('/items/{id}');
      const special = await twin.fetch('Rest', '/items/special');
      expect(special.headers['content-type']).toBe('image/png');
      const proxied = JSON.parse((await twin.fetch('Rest', '/a/b/c', { method: 'DELETE' })).body);
      expect(proxied.resource).toBe('/{proxy+}');
      expect(proxied.pathParameters).toEqual({ proxy: 'a/b/c' });
      // /items has only GET: a POST falls through to ANY /{proxy+}.
      expect(JSON.parse((await twin.fetch('Rest', '/items', { method: 'POST', body: 'x' })).body).resource).toBe('/{proxy+}');
    });

    it('answers 403 Missing Authentication Token for an unknown stage or method', async () => {
      const url = await twin.apiUrl('Rest');
      const noStage = await fetch(url.replace(/\/dev$/, '/nostage/items'));
      expect(noStage.status).toBe(403);
      expect(await noStage.json()).toEqual({ message: 'Missing Authentication Token' });
      expect(noStage.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      const root = await twin.fetch('Rest', '/', { method: 'POST' });
      expect(root.status).toBe(403);
      expect(JSON.parse(root.body)).toEqual({ message: 'Missing Authentication Token' });
    });

    it('answers the CORS preflight from the MOCK OPTIONS method CDK created', async () => {
      const r = await twin.fetch('Rest', '/items/42', { method: 'OPTIONS', headers: { 'Origin': 'https://a.example', 'Access-Control-Request-Method': 'GET' } });
      expect(r.status).toBe(204);
      expect(r.headers['access-control-allow-origin']).toBe('https://a.example');
      expect(r.headers['access-control-allow-methods']).toBe('OPTIONS,GET,PUT,POST,DELETE,PATCH,HEAD');
      expect(r.headers.vary).toBe('Origin');
      expect(r.body).toBe('');
    });

    it('passes a binary request body base64-encoded and decodes a binary response for a binary Accept', async () => {
      const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
      const r = await twin.fetch('Rest', '/binary', { method: 'POST', bodyBase64: bytes.toString('base64'), headers: { 'Content-Type': 'application/octet-stream', 'Accept': 'image/png' } });
      expect(r.status).toBe(200);
      expect(r.headers['x-request-base64']).toBe('true');
      expect(r.headers['x-request-length']).toBe('6');
      expect(Buffer.from(r.bodyBase64, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]));
      // Without a binary Accept type the base64 text passes through.
      const text = await twin.fetch('Rest', '/binary', { method: 'POST', body: 'hi', headers: { 'Content-Type': 'text/plain', 'Accept': 'application/json' } });
      expect(text.headers['x-request-base64']).toBe('false');
      expect(text.body).toBe(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]).toString('base64'));
    });

    it('answers 502 for a malformed proxy response', async () => {
      const r = await twin.fetch('Rest', '/bad');
      expect(r.status).toBe(502);
      expect(JSON.parse(r.body)).toEqual({ message: 'Internal server error' });
    });

    it('answers 500 when no permission lets API Gateway invoke the function', async () => {
      const r = await twin.fetch('Rest', '/noperm');
      expect(r.status).toBe(500);
      expect(JSON.parse(r.body)).toEqual({ message: 'Internal server error' });
    });

    it('serves a SpecRestApi from its inline OpenAPI definition', async () => {
      const r = await twin.fetch('Spec', '/spec/7');
      expect(r.status).toBe(200);
      const event = JSON.parse(r.body);
      expect(event.resource).toBe('/spec/{id}');
      expect(event.requestContext.stage).toBe('api');
    });

    it('answers 504 when the integration times out', async () => {
      const r = await twin.fetch('Rest', '/slow');
      expect(r.status).toBe(504);
      expect(JSON.parse(r.body)).toEqual({ message: 'Endpoint request timed out' });
    });
  });

  describe('HTTP API', () => {
    it('builds the 2.0 event with comma-joined headers and query, cookies and the route key', async () => {
      const url = await twin.apiUrl('Http');
      // Node's http client can send a header twice (fetch merges them).
      const body = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
        const req = http.request(`${url}/hello/ann?a=1&a=2`, { headers: ['Host', new URL(url).host, 'X-Twice', 'one', 'X-Twice', 'two', 'Cookie', 'c1=v1; c2=v2'] as any }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body.status).toBe(201);
      expect(body.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2']);
      const event = JSON.parse(body.text);
      expectSameShape(event, { ...HTTP_V2_EXAMPLE, body: undefined });
      expect(event.version).toBe('2.0');
      expect(event.routeKey).toBe('GET /hello/{name}');
      expect(event.rawPath).toBe('/hello/ann');
      expect(event.rawQueryString).toBe('a=1&a=2');
      expect(event.queryStringParameters).toEqual({ a: '1,2' });
      expect(event.headers['x-twice']).toBe('one,two');
      expect(event.headers.cookie).toBeUndefined();
      expect(event.cookies).toEqual(['c1=v1', 'c2=v2']);
      expect(event.pathParameters).toEqual({ name: 'ann' });
      expect(event.requestContext.http).toMatchObject({ method: 'GET', path: '/hello/ann', sourceIp: '127.0.0.1' });
      expect(event.requestContext.stage).toBe('$default');
      expect(event.stageVariables).toBeUndefined();
    });

    it('infers a 200 JSON response from a bare value', async () => {
      const r = await twin.fetch('Http', '/hello/x?bare=1');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      expect(JSON.parse(r.body)).toEqual({ hello: 'world' });
    });

    it('sends the 1.0 payload with version 1.0 to a 1.0 integration', async () => {
      const r = await twin.fetch('Http', '/v1/abc?q=1');
      expect(r.status).toBe(200);
      const event = JSON.parse(r.body);
      expect(event.version).toBe('1.0');
      expect(event.resource).toBe('/v1/{x}');
      expect(event.pathParameters).toEqual({ x: 'abc' });
      expect(event.multiValueQueryStringParameters).toEqual({ q: ['1'] });
    });

    it('matches greedy routes and answers 404 Not Found for an unknown route', async () => {
      const files = JSON.parse((await twin.fetch('Http', '/files/a/b.txt', { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } })).body);
      expect(files.routeKey).toBe('ANY /files/{path+}');
      expect(files.pathParameters).toEqual({ path: 'a/b.txt' });
      expect(files.body).toBe('x');
      expect(files.isBase64Encoded).toBe(false);
      const missing = await twin.fetch('Http', '/nothing/here');
      expect(missing.status).toBe(404);
      expect(JSON.parse(missing.body)).toEqual({ message: 'Not Found' });
    });

    it('answers 500 Internal Server Error for a 1.0 response without statusCode; 2.0 takes it as a bare value', async () => {
      const v1 = await twin.fetch('Http', '/v1bad');
      expect(v1.status).toBe(500);
      expect(JSON.parse(v1.body)).toEqual({ message: 'Internal Server Error' });
      const r = await twin.fetch('Http', '/bad');
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    });

    it('answers 503 Service Unavailable when the integration times out', async () => {
      const r = await twin.fetch('Http', '/slow');
      expect(r.status).toBe(503);
      expect(JSON.parse(r.body)).toEqual({ message: 'Service Unavailable' });
    });

    it('serves a named stage under its name, and 404 without it', async () => {
      expect(await twin.apiUrl('Staged')).toMatch(/\/Staged\/beta$/);
      const r = await twin.fetch('Staged', '/ping');
      expect(r.status).toBe(201);
      const event = JSON.parse(r.body);
      expect(event.requestContext.stage).toBe('beta');
      expect(event.rawPath).toBe('/beta/ping');
      const base = (await twin.apiUrl('Staged')).replace(/\/beta$/, '');
      const missing = await fetch(`${base}/ping`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ message: 'Not Found' });
    });

    it('answers CORS preflights itself and sets CORS headers on responses', async () => {
      const pre = await twin.fetch('Http', '/hello/x', { method: 'OPTIONS', headers: { 'Origin': 'https://b.example', 'Access-Control-Request-Method': 'POST' } });
      expect(pre.status).toBe(204);
      expect(pre.headers['access-control-allow-origin']).toBe('https://b.example');
      expect(pre.headers['access-control-allow-methods']).toBe('GET,POST');
      expect(pre.headers['access-control-allow-headers']).toBe('content-type');
      expect(pre.headers['access-control-max-age']).toBe('60');
      const other = await twin.fetch('Http', '/hello/x', { method: 'OPTIONS', headers: { 'Origin': 'https://evil.example', 'Access-Control-Request-Method': 'GET' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const get = await twin.fetch('Http', '/hello/x', { headers: { Origin: 'https://b.example' } });
      expect(get.headers['access-control-allow-origin']).toBe('https://b.example');
    });
  });

  describe('Function URLs', () => {
    it('sends the Function URL event with the url domain and base64 for binary bodies', async () => {
      const r = await twin.fetch('UrlEcho', '/my/path?p=1&p=2', { method: 'POST', bodyBase64: Buffer.from([1, 2, 3]).toString('base64'), headers: { 'content-type': 'application/octet-stream' } });
      expect(r.status).toBe(201);
      const event = JSON.parse(r.body);
      expectSameShape(event, { ...FUNCTION_URL_EXAMPLE, cookies: undefined });
      expect(event.routeKey).toBe('$default');
      expect(event.requestContext.stage).toBe('$default');
      expect(event.requestContext.domainName).toMatch(/^[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws$/);
      expect(event.requestContext.domainPrefix).toBe(event.requestContext.apiId);
      expect(event.rawPath).toBe('/my/path');
      expect(event.queryStringParameters).toEqual({ p: '1,2' });
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body, 'base64')).toEqual(Buffer.from([1, 2, 3]));
      expect(event.pathParameters).toBeUndefined();
      // The URL's Cors replaces the function's own CORS headers.
      const cors = await twin.fetch('UrlEcho', '/', { headers: { Origin: 'https://c.example' } });
      expect(cors.headers['access-control-allow-origin']).toBe('*');
    });

    it('answers 502 when the function times out', async () => {
      const r = await twin.fetch('UrlSleepy', '/');
      expect(r.status).toBe(502);
    });

    it('streams a RESPONSE_STREAM response: the prelude sets the head, chunks arrive as written', async () => {
      const url = await twin.apiUrl('Streamer');
      const response = await fetch(`${url}/`);
      expect(response.status).toBe(207);
      expect(response.headers.get('x-streamed')).toBe('yes');
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.headers.getSetCookie()).toEqual(['s=1']);
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      const reader = response.body!.getReader();
      const pieces: string[] = [];
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        pieces.push(Buffer.from(value).toString());
      }
      expect(pieces.join('')).toBe('chunk0;chunk1;chunk2;');
      // The function pauses between writes: the first read gets the first chunk, not the whole body.
      expect(pieces[0]).toBe('chunk0;');
    });
  });

  it('selects the front by an execute-api Host header, without a path prefix', async () => {
    const apiId = JSON.parse((await twin.fetch('Rest', '/items')).body).requestContext.apiId;
    const port = new URL(await twin.apiUrl('Rest')).port;
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/dev/items/9', headers: { Host: `${apiId}.execute-api.localhost:${port}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text).pathParameters).toEqual({ id: '9' });
  });

  it('lists the base URL of every front', async () => {
    await expect(twin.fetch('NoSuchApi', '/')).rejects.toThrow(/No API or Function URL 'NoSuchApi'.*Rest \(REST\)/);
    expect(await twin.apiUrl('Rest')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/Rest\/dev$/);
    expect(await twin.apiUrl('Http')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/Http$/);
    expect(await twin.apiUrl('Streamer')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__url\/Streamer$/);
  });
});
