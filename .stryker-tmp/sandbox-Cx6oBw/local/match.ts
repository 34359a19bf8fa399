// @ts-nocheck
import type { RouteDef } from '../shared/http/routes.ts';

export type RouteMatch =
  | { readonly kind: 'route'; readonly route: RouteDef; readonly pathParameters: Record<string, string> }
  /** The path exists with other methods: `allow` lists them. */
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not-found' };

/**
 * Matches a decoded path against the route templates as API Gateway does: `{name}` takes one
 * whole segment, and where templates overlap the one with more literal segments wins.
 */
export function matchRoute(routes: readonly RouteDef[], method: string, path: string): RouteMatch {
  const segments = path.split('/');
  const candidates: Array<{ route: RouteDef; pathParameters: Record<string, string>; literals: number }> = [];
  for (const route of routes) {
    const found = matchTemplate(route.path, segments);
    if (found) candidates.push({ route, ...found });
  }
  if (candidates.length === 0) return { kind: 'not-found' };
  const sameMethod = candidates
    .filter((c) => c.route.method === method)
    .sort((a, b) => b.literals - a.literals);
  const best = sameMethod[0];
  if (best) return { kind: 'route', route: best.route, pathParameters: best.pathParameters };
  const allow = [...new Set(candidates.map((c) => c.route.method))].sort();
  return { kind: 'method-not-allowed', allow };
}

function matchTemplate(
  template: string,
  segments: readonly string[],
): { pathParameters: Record<string, string>; literals: number } | undefined {
  const parts = template.split('/');
  if (parts.length !== segments.length) return undefined;
  const pathParameters: Record<string, string> = {};
  let literals = 0;
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] ?? '';
    const parameter = /^\{([^}+]+)\}$/.exec(part)?.[1];
    if (parameter !== undefined) {
      if (segment === '') return undefined;
      pathParameters[parameter] = segment;
    } else if (part === segment) literals++;
    else return undefined;
  }
  return { pathParameters, literals };
}
