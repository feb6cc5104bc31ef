import { routeKey, routes, type Route } from './routes.ts';

export type RouteMatch =
  | { kind: 'matched'; route: Route; routeKey: string; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

const segmentsOf = (path: string) => path.split('/').filter((segment) => segment !== '');
const isParameter = (segment: string) => segment.startsWith('{') && segment.endsWith('}');

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

const matchPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const expected = segmentsOf(pattern);
  const actual = segmentsOf(path);
  if (expected.length !== actual.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = actual[index] ?? '';
    if (isParameter(segment)) parameters[segment.slice(1, -1)] = decode(value);
    else if (segment !== value) return undefined;
  }
  return parameters;
};

/** Literal segments beat parameters, as in API Gateway: `/recall` is not an id. */
const specificity = (route: Route) => segmentsOf(route.path).filter((segment) => !isParameter(segment)).length;

/**
 * Matches a request against the route table (the local server routes with it; in AWS the unrouted function
 * answers with it what API Gateway routed to no function, functions/handlers/unrouted.ts). The most specific path decides the resource, then the method: a
 * wrong method on `/v1/sign-requests/recall` is a 405, not a read of the id `recall`. (API Gateway would hand
 * GET .../recall to the read route; the read function answers the same 405 itself, see functions/handlers/read.ts.)
 */
export const matchRoute = (method: string, path: string): RouteMatch => {
  const matching = routes
    .map((route) => ({ route, pathParameters: matchPath(route.path, path) }))
    .filter(
      (candidate): candidate is { route: Route; pathParameters: Record<string, string> } => !!candidate.pathParameters,
    );
  const mostSpecific = Math.max(...matching.map(({ route }) => specificity(route)));
  const candidates = matching.filter(({ route }) => specificity(route) === mostSpecific);
  if (candidates.length === 0) return { kind: 'not-found' };
  const hit = candidates.find(({ route }) => route.method === method.toUpperCase());
  if (!hit) return { kind: 'method-not-allowed', allowed: [...new Set(candidates.map(({ route }) => route.method))] };
  return { kind: 'matched', route: hit.route, routeKey: routeKey(hit.route), pathParameters: hit.pathParameters };
};
