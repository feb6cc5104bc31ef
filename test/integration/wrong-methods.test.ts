import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadHandler } from '../../functions/handlers/read.ts';
import { handler as unrouted } from '../../functions/handlers/unrouted.ts';
import { routes } from '../../functions/routes.ts';
import { buildApiGatewayEvent } from '../../infra/local/api-gateway-event.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { httpDependencies } from '../support/dependencies.ts';
import { newApp, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Methods');
});
afterAll(() => service.close());

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every route's path (its parameters filled in) with every method no route at that path serves. */
const wrongCalls = routes.flatMap((route) => {
  const allowed: string[] = routes.filter((other) => other.path === route.path).map((other) => other.method);
  const path = route.path.replace(/\{\w+\}/g, 'some-value');
  return METHODS.filter((method) => !allowed.includes(method)).map((method) => ({
    method,
    path,
    template: route.path,
    allowed,
  }));
});

const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${service.baseUrl}${path}`, { method, headers });
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    envelope: await response.json(),
  };
};

describe('a wrong method answers 405 with Allow, on every route (local server)', () => {
  it.each(wrongCalls)('$method $path', async ({ method, path, allowed }) => {
    const answer = await call(method, path);
    expect(answer).toEqual({
      status: 405,
      allow: allowed.join(', '),
      envelope: {
        FailRules: [{ Code: 'METHOD_NOT_ALLOWED', Message: `This endpoint accepts ${allowed.join(', ')}` }],
        Data: null,
      },
    });
  });

  it('GET /v1/sign-requests/recall is the wrong method for recall, not a read of the id "recall"', async () => {
    // With a valid token too: the method is refused before the token matters.
    for (const headers of [{}, { authorization: `Bearer ${app.token}` }] as Record<string, string>[]) {
      const answer = await call('GET', '/v1/sign-requests/recall', headers);
      expect(answer).toMatchObject({ status: 405, allow: 'POST' });
    }
  });
});

describe('the read function, as API Gateway invokes it for GET /v1/sign-requests/recall', () => {
  const read = createReadHandler(httpDependencies);
  const eventFor = (id: string, headers: Record<string, string> = {}) =>
    buildApiGatewayEvent({
      method: 'GET',
      url: `/v1/sign-requests/${id}`,
      headers: { host: 'localhost', ...headers },
      body: Buffer.alloc(0),
      route: { routeKey: 'GET /v1/sign-requests/{signRequestId}', pathParameters: { signRequestId: id } },
      requestId: 'wrong-method',
    });

  it('answers 405 with Allow: POST before authentication, as the local server does', async () => {
    const answer = await read(eventFor('recall'), localLambdaContext('read'));
    expect(answer.statusCode).toBe(405);
    expect(answer.headers).toMatchObject({ allow: 'POST' });
    expect(JSON.parse(answer.body ?? '')).toEqual({
      FailRules: [{ Code: 'METHOD_NOT_ALLOWED', Message: 'This endpoint accepts POST' }],
      Data: null,
    });
  });

  it('still reads any other id as before: an unknown one, authenticated, is 404; unauthenticated, 401', async () => {
    const authorized = { authorization: `Bearer ${app.token}` };
    expect((await read(eventFor('recalls', authorized), localLambdaContext('read'))).statusCode).toBe(404);
    expect((await read(eventFor('recall-not'), localLambdaContext('read'))).statusCode).toBe(401);
  });
});

describe('the unrouted function, as API Gateway invokes it for what no route of the table serves', () => {
  const invoke = async (method: string, path: string, routeKey: string) => {
    const answer = await unrouted(
      buildApiGatewayEvent({
        method,
        url: path,
        headers: { host: 'localhost' },
        body: Buffer.alloc(0),
        route: { routeKey, pathParameters: {} },
        requestId: 'unrouted',
      }),
    );
    return {
      status: answer.statusCode,
      allow: answer.headers?.allow ?? null,
      envelope: JSON.parse(answer.body ?? '') as unknown,
    };
  };

  // The ANY route of each path catches every method the table does not serve there.
  it.each(wrongCalls)('ANY $template: $method answers as the local server does', async ({ method, path, template }) => {
    expect(await invoke(method, path, `ANY ${template}`)).toEqual(await call(method, path));
  });

  it('answers a path outside the table (which API Gateway never routes to it) 404, as the local server does', async () => {
    // GET / is npm start's own home page (infra/local/home-page.ts), never deployed: / is asked with POST here.
    for (const [method, path] of [
      ['POST', '/'],
      ['GET', '/v1'],
      ['GET', '/v1/sign-requests/a/b'],
      ['GET', '/v2/sign-requests'],
    ] as const) {
      const answer = await invoke(method, path, 'ANY /v1/sign-requests');
      expect(answer).toEqual({
        status: 404,
        allow: null,
        envelope: { FailRules: [{ Code: 'ROUTE_NOT_FOUND', Message: 'No such endpoint' }], Data: null },
      });
      expect(answer).toEqual(await call(method, path));
    }
  });
});
