import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { matchRoute } from '../../functions/route-match.ts';

describe('matchRoute: the local stand-in for API Gateway routing', () => {
  it('prefers a literal segment to a parameter', () => {
    expect(matchRoute('POST', '/v1/sign-requests/recall')).toMatchObject({
      kind: 'matched',
      routeKey: 'POST /v1/sign-requests/recall',
    });
  });

  it('extracts and decodes path parameters', () => {
    expect(matchRoute('GET', '/v1/signing/a%2Eb.c')).toEqual({
      kind: 'matched',
      route: routes.find((route) => route.handler === 'signing-view'),
      routeKey: 'GET /v1/signing/{signingToken}',
      pathParameters: { signingToken: 'a.b.c' },
    });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(matchRoute('DELETE', '/v1/sign-requests')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'POST'] });
    expect(matchRoute('GET', '/v1/sign-requests/a/b')).toEqual({ kind: 'not-found' });
    expect(matchRoute('GET', '/')).toEqual({ kind: 'not-found' });
  });

  it('reaches every route of the table', () => {
    for (const route of routes) {
      const path = route.path.replace(/\{[^}]+\}/g, 'X');
      expect(matchRoute(route.method, path)).toMatchObject({ kind: 'matched', route });
    }
  });
});
