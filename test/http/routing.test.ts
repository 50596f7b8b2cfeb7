// Route selection as API Gateway does it (pure functions over route specs).
import { selectHttpRoute, selectRestRoute } from '../../src/engine/http/routing';
import { RouteSpec } from '../../src/model/apis';

const route = (method: string, path: string, kind = 'REST'): RouteSpec => ({
  stackName: 'S',
  apiId: 'A',
  kind,
  routeId: `${method} ${path}`,
  method,
  path,
  integration: { type: 'MOCK', payloadFormatVersion: '1.0' },
  authorization: { authorizationType: 'NONE' },
});

describe('REST route selection', () => {
  const routes = [route('GET', '/pets/{id}'), route('GET', '/pets/dog'), route('ANY', '/{proxy+}'), route('POST', '/pets/{id}'), route('ANY', '/pets/{id}/toys'), route('GET', '/')];
  const pick = (method: string, path: string) => selectRestRoute(routes, method, path)?.route.routeId;

  it('prefers a literal segment over a parameter over a greedy one', () => {
    expect(pick('GET', '/pets/dog')).toBe('GET /pets/dog');
    expect(pick('GET', '/pets/cat')).toBe('GET /pets/{id}');
    expect(pick('GET', '/a/b')).toBe('ANY /{proxy+}');
  });
  it('prefers the method, and falls through to a less specific path when the best lacks it', () => {
    expect(pick('POST', '/pets/cat')).toBe('POST /pets/{id}');
    expect(pick('DELETE', '/pets/cat')).toBe('ANY /{proxy+}');
    expect(pick('PUT', '/pets/1/toys')).toBe('ANY /pets/{id}/toys');
  });
  it('decodes path parameters and gives the greedy remainder without a leading slash', () => {
    expect(selectRestRoute(routes, 'GET', '/pets/a%20b')?.pathParameters).toEqual({ id: 'a b' });
    expect(selectRestRoute(routes, 'GET', '/x/y/z')?.pathParameters).toEqual({ proxy: 'x/y/z' });
  });
  it('matches the root only at / and finds nothing for an unknown method', () => {
    expect(pick('GET', '/')).toBe('GET /');
    expect(selectRestRoute([route('GET', '/only')], 'POST', '/only')).toBeUndefined();
    expect(selectRestRoute([route('ANY', '/a/{proxy+}')], 'GET', '/a/')).toBeUndefined();
  });
});

describe('HTTP API route selection', () => {
  const routes = [route('GET', '/pets/{id}', 'HTTP'), route('ANY', '/pets/{id}', 'HTTP'), route('GET', '/pets/{proxy+}', 'HTTP'), route('ANY', '/{proxy+}', 'HTTP'), route('ANY', '$default', 'HTTP')];
  const pick = (method: string, path: string) => selectHttpRoute(routes, method, path)?.route.routeId;
  it('takes exact routes first (method before ANY), then the longest greedy prefix, then $default', () => {
    expect(pick('GET', '/pets/1')).toBe('GET /pets/{id}');
    expect(pick('PUT', '/pets/1')).toBe('ANY /pets/{id}');
    expect(pick('GET', '/pets/1/2')).toBe('GET /pets/{proxy+}');
    expect(pick('POST', '/pets/1/2')).toBe('ANY /{proxy+}');
    expect(selectHttpRoute([route('GET', '/a', 'HTTP'), route('ANY', '$default', 'HTTP')], 'GET', '/b')?.route.path).toBe('$default');
    expect(selectHttpRoute([route('GET', '/a', 'HTTP')], 'GET', '/b')).toBeUndefined();
  });
});
