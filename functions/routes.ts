/**
 * The one route table. The local server serves it and CDK builds API Gateway routes from it, so the two
 * cannot drift. `handler` names the file in functions/handlers/ whose `handler` export serves the route.
 */
export const routes = [
  { method: 'POST', path: '/v1/sign-requests', handler: 'initiate' },
  { method: 'POST', path: '/v1/sign-requests/recall', handler: 'recall' },
  { method: 'GET', path: '/v1/sign-requests/{signRequestId}', handler: 'read' },
  { method: 'GET', path: '/v1/signing/{signingToken}', handler: 'signing-view' },
  { method: 'POST', path: '/v1/signing/{signingToken}/sign', handler: 'sign' },
] as const;

export type Route = (typeof routes)[number];
export type HandlerName = Route['handler'];
export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;
