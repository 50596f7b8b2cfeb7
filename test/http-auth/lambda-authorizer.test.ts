// Lambda authorizers run for real: a SAM template with Python and Node authorizer functions, loaded by the SAM
// loader (its Auth sections and the permissions SAM adds), run by a real TwinCore through the Invoke path.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { authInput } from './helpers';
import { authorize } from '../../src/engine/http/auth/authorize';
import { TwinCore } from '../../src/engine/twin';
import { generatedResourceId } from '../../src/load/intrinsics';
import { loadTemplateFileApp } from '../../src/load/template-file';

// What `Ref` to the APIs resolves to (the ids in ARNs and in the permissions SAM adds).
const API = generatedResourceId('AuthTest', 'MyApi', 10);
const HTTP = generatedResourceId('AuthTest', 'MyHttp', 10);

const PY_AUTH = `
import json, os
def handler(event, context):
    with open(os.environ['COUNTER_FILE'], 'a') as f:
        f.write(json.dumps(event) + '\\n')
    token = event.get('authorizationToken') or (event.get('headers') or {}).get('X-User') or (event.get('headers') or {}).get('x-user')
    if token == 'unauthorized':
        raise Exception('Unauthorized')
    if token == 'boom':
        raise ValueError('database down')
    arn = event['methodArn']
    if token == 'badctx':
        return {'principalId': 'u', 'policyDocument': allow(arn), 'context': {'nested': {'a': 1}}}
    if token == 'deny':
        return {'principalId': 'u', 'policyDocument': {'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Action': 'execute-api:Invoke', 'Resource': arn}]}}
    if token == 'one-method':
        return {'principalId': 'u', 'policyDocument': allow(arn)}
    return {'principalId': 'user-' + token, 'policyDocument': allow(arn.split('/')[0] + '/*'), 'context': {'tier': 'gold', 'n': 3, 'ok': True}}

def allow(resource):
    return {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'execute-api:Invoke', 'Resource': resource}]}
`;

const NODE_AUTH = `
const fs = require('fs');
exports.handler = async (event) => {
  fs.appendFileSync(process.env.COUNTER_FILE, JSON.stringify(event) + '\\n');
  return { isAuthorized: event.headers.authorization === 'yes', context: { user: 'u1', n: 1 } };
};
`;

function template(counter: string): any {
  const env = { Variables: { COUNTER_FILE: counter } };
  return {
    Transform: 'AWS::Serverless-2016-10-31',
    Resources: {
      AuthFnPy: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'auth.handler', CodeUri: 'py', Environment: env } },
      AuthFnNode: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'nodejs22.x', Handler: 'auth.handler', CodeUri: 'node', Environment: env } },
      NoPermFn: { Type: 'AWS::Serverless::Function', Properties: { Runtime: 'python3.12', Handler: 'auth.handler', CodeUri: 'py', Environment: env } },
      MyApi: {
        Type: 'AWS::Serverless::Api',
        Properties: {
          StageName: 'prod',
          Auth: {
            Authorizers: {
              TokenAuth: { FunctionArn: { 'Fn::GetAtt': ['AuthFnPy', 'Arn'] }, Identity: { ValidationExpression: '[a-z-]+' } },
              RequestAuth: { FunctionArn: { 'Fn::GetAtt': ['AuthFnPy', 'Arn'] }, FunctionPayloadType: 'REQUEST', Identity: { Headers: ['X-User'], ReauthorizeEvery: 0 } },
            },
          },
        },
      },
      NoPermAuthorizer: {
        Type: 'AWS::ApiGateway::Authorizer',
        Properties: {
          RestApiId: { Ref: 'MyApi' },
          Name: 'noperm',
          Type: 'TOKEN',
          IdentitySource: 'method.request.header.Authorization',
          AuthorizerUri: { 'Fn::Sub': 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${NoPermFn.Arn}/invocations' },
        },
      },
      MyHttp: {
        Type: 'AWS::Serverless::HttpApi',
        Properties: {
          Auth: {
            Authorizers: {
              Simple: {
                FunctionArn: { 'Fn::GetAtt': ['AuthFnNode', 'Arn'] },
                AuthorizerPayloadFormatVersion: '2.0',
                EnableSimpleResponses: true,
                EnableFunctionDefaultPermissions: true,
                Identity: { Headers: ['Authorization'], ReauthorizeEvery: 60 },
              },
            },
          },
        },
      },
    },
  };
}

describe('Lambda authorizers with real functions', () => {
  let dir: string;
  let counter: string;
  let core: TwinCore;
  let clock = Date.now();
  const now = (): number => clock;
  const invocations = (): any[] => fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').trim().split('\n').filter((l) => l).map((l) => JSON.parse(l)) : [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-http-auth-'));
    counter = path.join(dir, 'invocations.jsonl');
    fs.mkdirSync(path.join(dir, 'py'));
    fs.writeFileSync(path.join(dir, 'py', 'auth.py'), PY_AUTH);
    fs.mkdirSync(path.join(dir, 'node'));
    fs.writeFileSync(path.join(dir, 'node', 'auth.js'), NODE_AUTH);
    fs.writeFileSync(path.join(dir, 'template.json'), JSON.stringify(template(counter)));
    const app = loadTemplateFileApp(path.join(dir, 'template.json'), { stackName: 'AuthTest' });
    // Plain processes on purpose: the functions record what they received in a host folder.
    core = new TwinCore(app, { quiet: true, stateDir: path.join(dir, 'state'), isolate: false });
  });
  afterAll(async () => {
    await core?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => fs.rmSync(counter, { force: true }));

  const rest = (token: string | undefined, extra: Record<string, any> = {}) => authInput(core, {
    apiId: 'MyApi',
    apiPhysicalId: `${API}`,
    now,
    authorization: { authorizationType: 'CUSTOM', authorizerId: 'TokenAuth' },
    headers: token === undefined ? {} : { authorization: token },
    ...extra,
  });

  it('reads the SAM authorizers with the permission SAM gives API Gateway', () => {
    const ids = core.app.apis.authorizers.map((a) => `${a.apiId}/${a.id}:${a.type}`).sort();
    expect(ids).toEqual(['MyApi/NoPermAuthorizer:TOKEN', 'MyApi/RequestAuth:REQUEST', 'MyApi/TokenAuth:TOKEN', 'MyHttp/Simple:REQUEST']);
    const py = core.specs.find((s) => s.logicalId === 'AuthFnPy')!;
    expect(py.permissions.map((p) => p.sourceArn)).toContain(`arn:aws:execute-api:us-east-1:123456789012:${API}/authorizers/*`);
  });

  it('allows with the Python function\'s policy and passes principalId and the context as strings', async () => {
    const outcome = await authorize(rest('alice'));
    expect(outcome.reason).toMatch(/allows/);
    expect(outcome.allowed).toBe(true);
    expect(outcome.authorizerContext).toMatchObject({ principalId: 'user-alice', tier: 'gold', n: '3', ok: 'true' });
    const [event] = invocations();
    expect(event).toEqual({ type: 'TOKEN', authorizationToken: 'alice', methodArn: `arn:aws:execute-api:us-east-1:123456789012:${API}/prod/GET/items` });
  }, 60_000);

  it('caches the answer by token: a second request does not call the function, until the TTL passes', async () => {
    expect((await authorize(rest('bob'))).allowed).toBe(true);
    const second = await authorize(rest('bob', { path: '/other', methodArn: `arn:aws:execute-api:us-east-1:123456789012:${API}/prod/GET/other` }));
    expect(second.allowed).toBe(true);
    expect(second.reason).toMatch(/cached/);
    expect(invocations()).toHaveLength(1);
    clock += 301_000;
    expect((await authorize(rest('bob'))).allowed).toBe(true);
    expect(invocations()).toHaveLength(2);
  }, 60_000);

  it('re-evaluates a cached single-method policy against each method ARN (403 on its siblings)', async () => {
    expect((await authorize(rest('one-method'))).allowed).toBe(true);
    const sibling = await authorize(rest('one-method', { method: 'POST', methodArn: `arn:aws:execute-api:us-east-1:123456789012:${API}/prod/POST/items` }));
    expect(sibling).toMatchObject({ allowed: false, statusCode: 403, body: '{"Message":"User is not authorized to access this resource"}' });
    expect(invocations()).toHaveLength(1);
  }, 60_000);

  it('answers 403 with the explicit-deny message for a Deny', async () => {
    const outcome = await authorize(rest('deny'));
    expect(outcome).toMatchObject({ allowed: false, statusCode: 403, body: '{"Message":"User is not authorized to access this resource with an explicit deny"}' });
  }, 60_000);

  it('answers 401 when the function raises Unauthorized, and 500 for any other error', async () => {
    expect(await authorize(rest('unauthorized'))).toMatchObject({ allowed: false, statusCode: 401, body: '{"message":"Unauthorized"}' });
    const boom = await authorize(rest('boom'));
    expect(boom).toMatchObject({ allowed: false, statusCode: 500 });
    expect(boom.reason).toMatch(/database down/);
  }, 60_000);

  it('answers 500 for a context value that is an object', async () => {
    const outcome = await authorize(rest('badctx'));
    expect(outcome.statusCode).toBe(500);
    expect(outcome.reason).toMatch(/context\.nested/);
  }, 60_000);

  it('answers 401 without calling the function for a missing token or one failing IdentityValidationExpression', async () => {
    expect((await authorize(rest(undefined))).statusCode).toBe(401);
    const invalid = await authorize(rest('Not-Valid!'));
    expect(invalid.statusCode).toBe(401);
    expect(invalid.reason).toMatch(/IdentityValidationExpression/);
    expect(invocations()).toHaveLength(0);
  }, 60_000);

  it('answers 500 when the function\'s resource policy does not let API Gateway invoke it', async () => {
    const outcome = await authorize(rest('alice', { authorization: { authorizationType: 'CUSTOM', authorizerId: 'NoPermAuthorizer' } }));
    expect(outcome.statusCode).toBe(500);
    expect(outcome.reason).toMatch(/apigateway\.amazonaws\.com/);
    expect(invocations()).toHaveLength(0);
  }, 60_000);

  it('sends a REQUEST authorizer the request (headers, path, requestContext) and does not cache with TTL 0', async () => {
    const input = rest(undefined, {
      authorization: { authorizationType: 'CUSTOM', authorizerId: 'RequestAuth' },
      headers: { 'x-user': 'carol' },
      rawQueryString: 'a=1&a=2',
    });
    expect((await authorize(input)).allowed).toBe(true);
    expect((await authorize(input)).allowed).toBe(true);
    const events = invocations();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      type: 'REQUEST',
      httpMethod: 'GET',
      path: '/items',
      resource: '/items',
      headers: { 'x-user': 'carol' },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      queryStringParameters: { a: '2' },
      requestContext: { stage: 'prod', apiId: `${API}` },
    });
    expect((await authorize(rest(undefined, { authorization: { authorizationType: 'CUSTOM', authorizerId: 'RequestAuth' } }))).statusCode).toBe(401);
  }, 60_000);

  it('runs an HTTP API simple-response authorizer (payload 2.0) in Node, caching by the identity source', async () => {
    const http = (value: string) => authInput(core, {
      apiKind: 'HTTP',
      apiId: 'MyHttp',
      apiPhysicalId: `${HTTP}`,
      stage: '$default',
      routeKey: 'GET /items',
      now,
      methodArn: `arn:aws:execute-api:us-east-1:123456789012:${HTTP}/$default/GET/items`,
      authorization: { authorizationType: 'CUSTOM', authorizerId: 'Simple' },
      headers: { authorization: value },
    });
    const yes = await authorize(http('yes'));
    expect(yes).toMatchObject({ allowed: true, authorizerContext: { lambda: { user: 'u1', n: 1 } } });
    expect(await authorize(http('no'))).toMatchObject({ allowed: false, statusCode: 403, body: '{"message":"Forbidden"}' });
    expect((await authorize(http('yes'))).reason).toMatch(/cached/);
    const events = invocations();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `arn:aws:execute-api:us-east-1:123456789012:${HTTP}/$default/GET/items`,
      identitySource: ['yes'],
      routeKey: 'GET /items',
      rawPath: '/items',
      headers: { authorization: 'yes' },
    });
  }, 60_000);
});
