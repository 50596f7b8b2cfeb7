// The authorizer events built from a request, and identity-source lookup, without processes.
import { authInput } from './helpers';
import { requestEventV1, requestEventV2, tokenEvent } from '../../src/engine/http/auth/authorizer-events';
import { identityValues } from '../../src/engine/http/auth/identity-source';
import type { TwinCore } from '../../src/engine/twin';

const core = {} as TwinCore;
const input = authInput(core, {
  apiKind: 'HTTP',
  stage: '$default',
  routeKey: 'GET /items/{id}',
  path: '/items/7',
  resourcePath: '/items/{id}',
  headers: { 'authorization': 'tok', 'x-multi': ['a', 'b'], 'cookie': 'c1=1; c2=2' },
  rawQueryString: 'Q=1&q=2&q=3',
  pathParameters: { id: '7' },
  stageVariables: { env: 'dev' },
});

describe('identity sources', () => {
  it('reads headers case-insensitively, query strings case-sensitively, stage variables and context', () => {
    const r = identityValues(input, ['$request.header.Authorization', '$request.querystring.q', '$stageVariables.env', '$context.routeKey', 'method.request.header.X-Multi']);
    expect(r).toEqual({ values: ['tok', '2,3', 'dev', 'GET /items/{id}', 'a,b'], missing: [] });
    expect(identityValues(input, ['$request.querystring.missing', '$request.header.none']).missing).toEqual(['$request.querystring.missing', '$request.header.none']);
  });
});

describe('authorizer events', () => {
  it('builds a TOKEN event', () => {
    expect(tokenEvent(input, 'tok')).toEqual({ type: 'TOKEN', authorizationToken: 'tok', methodArn: input.methodArn });
  });

  it('builds an HTTP API payload 1.0 event with the comma-joined identity source', () => {
    const event = requestEventV1(input, ['tok', 'x'], true);
    expect(event).toMatchObject({
      version: '1.0',
      type: 'REQUEST',
      methodArn: input.methodArn,
      identitySource: 'tok,x',
      authorizationToken: 'tok',
      resource: '/items/{id}',
      path: '/items/7',
      httpMethod: 'GET',
      multiValueHeaders: { 'x-multi': ['a', 'b'] },
      headers: { 'x-multi': 'b' },
      multiValueQueryStringParameters: { Q: ['1'], q: ['2', '3'] },
      pathParameters: { id: '7' },
      stageVariables: { env: 'dev' },
    });
    expect(requestEventV1(input, [], false).version).toBeUndefined();
  });

  it('builds a payload 2.0 event with cookies, joined headers and no authorizer in requestContext', () => {
    const event = requestEventV2({ ...input, integrationEvent: { version: '2.0', routeKey: 'GET /items/{id}', rawPath: '/items/7', rawQueryString: '', headers: {}, requestContext: { authorizer: { x: 1 }, stage: '$default' } } }, ['tok']);
    expect(event.requestContext).toEqual({ stage: '$default' });
    const built = requestEventV2(input, ['tok']);
    expect(built).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: input.methodArn,
      identitySource: ['tok'],
      routeKey: 'GET /items/{id}',
      rawPath: '/items/7',
      rawQueryString: 'Q=1&q=2&q=3',
      cookies: ['c1=1', 'c2=2'],
      headers: { 'x-multi': 'a,b' },
      queryStringParameters: { Q: '1', q: '2,3' },
      requestContext: { http: { method: 'GET', path: '/items/7' }, routeKey: 'GET /items/{id}' },
    });
  });
});
