// Route selection as API Gateway does it. REST: segment by segment, a literal part beats `{param}` beats a greedy
// `{proxy+}`; a method beats ANY, and a path whose best match lacks the method falls back to a less specific one.
// HTTP API: exact routes (literal before `{var}`, method before ANY), then greedy routes (longest literal prefix
// first), then `$default`. Pure functions over the model's routes.
import { RouteSpec } from '../../model/apis';

export interface RouteMatch {
  readonly route: RouteSpec;
  /** `{ id: "42" }`, `{ proxy: "a/b" }`; empty when the route has no parameters. */
  readonly pathParameters: Record<string, string>;
}

interface PathMatch {
  readonly pathParameters: Record<string, string>;
  /** Per segment: 3 literal, 2 `{param}`, 1 greedy — compared left to right. */
  readonly score: number[];
}

/** Matches a route template (`/items/{id}`, `/files/{path+}`) against a request path. */
export function matchPath(template: string, path: string): PathMatch | undefined {
  const parts = template.split('/').filter((p) => p !== '');
  const segments = path.split('/').filter((p, i, all) => p !== '' || (i > 0 && i < all.length - 1));
  const params: Record<string, string> = {};
  const score: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const greedy = /^\{([^}]+)\+\}$/.exec(part);
    if (greedy) {
      if (i !== parts.length - 1) return undefined;
      const rest = segments.slice(i);
      // A greedy parameter needs at least one character: `/a/{proxy+}` does not match `/a` or `/a/`.
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[greedy[1]] = rest.map(decodeSegment).join('/');
      score.push(1);
      return { pathParameters: params, score };
    }
    const segment = segments[i];
    if (segment === undefined || segment === '') return undefined;
    const param = /^\{([^}]+)\}$/.exec(part);
    if (param) {
      params[param[1]] = decodeSegment(segment);
      score.push(2);
    } else if (part === decodeSegment(segment)) {
      score.push(3);
    } else {
      return undefined;
    }
  }
  if (segments.length !== parts.length) return undefined;
  return { pathParameters: params, score };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** REST: the method to run for `method path`, or undefined (API Gateway's 403 Missing Authentication Token). */
export function selectRestRoute(routes: readonly RouteSpec[], method: string, path: string): RouteMatch | undefined {
  const candidates: Array<RouteMatch & { score: number[] }> = [];
  for (const route of routes) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const m = route.path === '/' ? (path === '/' || path === '' ? { pathParameters: {}, score: [] } : undefined) : matchPath(route.path, path);
    if (m) candidates.push({ route, pathParameters: m.pathParameters, score: m.score });
  }
  candidates.sort((a, b) => compareScores(b.score, a.score) || methodRank(b.route, method) - methodRank(a.route, method));
  return candidates[0];
}

function methodRank(route: RouteSpec, method: string): number {
  return route.method === method ? 1 : 0;
}

/** HTTP API (and Function URL): the route for `method path`, or undefined (404 Not Found). */
export function selectHttpRoute(routes: readonly RouteSpec[], method: string, path: string): RouteMatch | undefined {
  const exact: Array<RouteMatch & { score: number[] }> = [];
  const greedy: Array<RouteMatch & { literal: number }> = [];
  let fallback: RouteSpec | undefined;
  for (const route of routes) {
    if (route.path === '$default') {
      fallback ??= route;
      continue;
    }
    if (route.method !== method && route.method !== 'ANY') continue;
    const m = route.path === '/' ? (path === '/' || path === '' ? { pathParameters: {}, score: [] } : undefined) : matchPath(route.path, path);
    if (!m) continue;
    if (/\+\}$/.test(route.path)) {
      greedy.push({ route, pathParameters: m.pathParameters, literal: route.path.split('/').filter((p) => p && !p.startsWith('{')).length });
    } else {
      exact.push({ route, pathParameters: m.pathParameters, score: m.score });
    }
  }
  exact.sort((a, b) => compareScores(b.score, a.score) || methodRank(b.route, method) - methodRank(a.route, method));
  if (exact[0]) return exact[0];
  greedy.sort((a, b) => b.literal - a.literal || methodRank(b.route, method) - methodRank(a.route, method));
  if (greedy[0]) return greedy[0];
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}
