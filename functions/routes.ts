/**
 * The one route table. The local server serves it and CDK builds API Gateway routes from it, so the two
 * cannot drift. `handler` names the file in functions/handlers/ whose `handler` export serves the route.
 * `storeActions` lists the DynamoDB operations that handler makes on the table; CDK grants its function exactly
 * these. The embedded store checks no permissions, so a store call added to a handler without its action here
 * passes every local test and fails in AWS with AccessDenied: keep the two in step. Idempotent routes (initiate,
 * recall) add PutItem and DeleteItem for their Idempotency-Key records (Powertools' persistence layer).
 */
export const routes = [
  {
    method: 'POST',
    path: '/v1/sign-requests',
    handler: 'initiate',
    storeActions: ['GetItem', 'UpdateItem', 'PutItem', 'DeleteItem'],
  },
  {
    method: 'POST',
    path: '/v1/sign-requests/recall',
    handler: 'recall',
    storeActions: ['GetItem', 'UpdateItem', 'PutItem', 'DeleteItem'],
  },
  { method: 'GET', path: '/v1/sign-requests/{signRequestId}', handler: 'read', storeActions: ['GetItem'] },
  {
    method: 'GET',
    path: '/v1/signing/{signingToken}',
    handler: 'signing-view',
    storeActions: ['GetItem', 'UpdateItem'],
  },
  { method: 'POST', path: '/v1/signing/{signingToken}/sign', handler: 'sign', storeActions: ['GetItem', 'UpdateItem'] },
] as const;

export type Route = (typeof routes)[number];
export type HandlerName = Route['handler'];
export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** The route key of the route a handler serves, for code that must name its own route. */
export const routeKeyOf = (handler: HandlerName): string => {
  const route = routes.find((candidate) => candidate.handler === handler);
  if (!route) throw new Error(`no route is served by ${handler}`);
  return routeKey(route);
};
