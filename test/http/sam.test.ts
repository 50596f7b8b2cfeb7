// SAM's APIs (implicit REST and HTTP APIs from events, an explicit AWS::Serverless::Api with Cors and StageName,
// FunctionUrlConfig) loaded from a template and served; what is not emulated is listed and answers a clear 500.
import * as path from 'path';
import { LocalTwin } from '../../src';
import { coreOf } from '../../src/core-of';

jest.setTimeout(120_000);
const TEMPLATE = path.join(__dirname, 'fixtures', 'sam', 'template.yaml');

describe('SAM APIs', () => {
  let twin: LocalTwin;
  beforeAll(() => {
    twin = LocalTwin.fromTemplate(TEMPLATE, { quiet: true });
  });
  afterAll(async () => {
    await twin?.shutdown();
  });

  it('loads the implicit and explicit APIs, their stages and routes', () => {
    const apis = coreOf(twin).app.apis;
    const summary = apis.fronts.map((f) => `${f.kind} ${f.id}`).sort();
    expect(summary).toEqual(['HTTP ServerlessHttpApi', 'REST Legacy', 'REST MyApi', 'REST ServerlessRestApi', 'URL NodeHelloUrl']);
    expect(apis.stages.map((s) => `${s.apiId}:${s.name}`).sort()).toEqual(['Legacy:live', 'MyApi:v1', 'NodeHelloUrl:$default', 'ServerlessHttpApi:$default', 'ServerlessRestApi:Prod']);
    const routes = apis.routes.map((r) => `${r.apiId} ${r.method} ${r.path} ${r.integration.type}`).sort();
    expect(routes).toEqual([
      'Legacy GET / HTTP',
      'MyApi ANY /node AWS_PROXY',
      'MyApi OPTIONS /node MOCK',
      'NodeHelloUrl ANY $default AWS_PROXY',
      'ServerlessHttpApi ANY $default AWS_PROXY',
      'ServerlessHttpApi GET /node AWS_PROXY',
      'ServerlessRestApi GET /hello/{name} AWS_PROXY',
    ]);
    expect(apis.unsupported.join('\n')).toMatch(/Socket: a WebSocket API/);
    expect(apis.unsupported.join('\n')).toMatch(/LegacyMethod: a HTTP integration \(with VTL mapping templates\)/);
  });

  it('serves the implicit REST API at its Prod stage through the permission SAM created', async () => {
    const r = await twin.fetch('ServerlessRestApi', '/hello/ann');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ hello: 'node', path: '/hello/ann' });
    expect(await twin.apiUrl('ServerlessRestApi')).toMatch(/\/ServerlessRestApi\/Prod$/);
  });

  it('serves an explicit Serverless::Api with its stage and SAM Cors preflight', async () => {
    const r = await twin.fetch('MyApi', '/node', { method: 'PATCH', body: '{}' });
    expect(r.status).toBe(200);
    const pre = await twin.fetch('MyApi', '/node', { method: 'OPTIONS', headers: { 'Origin': 'https://s.example', 'Access-Control-Request-Method': 'GET' } });
    expect(pre.status).toBe(200);
    expect(pre.headers['access-control-allow-origin']).toBe('https://s.example');
    expect(pre.headers['access-control-allow-headers']).toBe('Content-Type');
  });

  it('serves the implicit HTTP API: a route and the $default catch-all (Python)', async () => {
    expect(JSON.parse((await twin.fetch('ServerlessHttpApi', '/node')).body)).toEqual({ hello: 'node', path: '/node' });
    const py = await twin.fetch('ServerlessHttpApi', '/any/thing');
    expect(py.status).toBe(200);
    expect(JSON.parse(py.body)).toEqual({ hello: 'python', path: '/any/thing' });
  });

  it('serves the FunctionUrlConfig URL with its Cors, by the function name', async () => {
    const r = await twin.fetch('NodeHello', '/x', { headers: { Origin: 'https://u.example' } });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('https://u.example');
  });

  it('answers a non-proxy integration with a 500 that names the method', async () => {
    const r = await twin.fetch('Legacy', '/');
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body).message).toMatch(/LegacyMethod: a HTTP integration/);
  });
});
