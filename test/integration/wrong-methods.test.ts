import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadHandler } from '../../functions/handlers/read.ts';
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
  return METHODS.filter((method) => !allowed.includes(method)).map((method) => ({ method, path, allowed }));
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
