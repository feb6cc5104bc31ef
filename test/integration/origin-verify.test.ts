import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { originVerified } from '../../functions/http/origin-verify.ts';
import { ORIGIN_VERIFY_ENV, ORIGIN_VERIFY_HEADER } from '../../functions/http/origin-verify-names.ts';
import type { HttpHandler } from '../../functions/http/route.ts';
import type { HandlerName } from '../../functions/routes.ts';
import { lambdaHandler } from '../../functions/wiring/lambda-handler.ts';
import { buildApiGatewayEvent } from '../../infra/local/api-gateway-event.ts';
import { createLocalHandlers } from '../../infra/local/handlers.ts';
import { createLocalHttpServer } from '../../infra/local/http-server.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { httpDependencies } from '../support/dependencies.ts';
import { registerSecret } from '../support/log-guard.ts';
import { newApp, signersNamed } from '../support/service.ts';
import { storedRequestsOf } from '../support/stored-requests.ts';

/** What CloudFront would send: generated per run, and registered so that a log line holding it fails the file. */
const expected = randomBytes(32).toString('base64url');
registerSecret(expected);

/** Every handler the local server serves, behind the check as Lambda runs them behind CloudFront. */
const guardedHandlers = () =>
  Object.fromEntries(
    Object.entries(createLocalHandlers(httpDependencies)).map(([name, handler]) => [
      name,
      originVerified(handler, expected),
    ]),
  ) as Record<HandlerName, HttpHandler>;

describe('a function behind CloudFront, through the real HTTP server', () => {
  const server = createLocalHttpServer(guardedHandlers());
  let baseUrl = '';
  beforeAll(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  const initiate = async (appToken: string, headers: Record<string, string>) => {
    const response = await fetch(`${baseUrl}/v1/sign-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ appToken, documentName: 'Contract.pdf', signers: signersNamed(1) }),
    });
    return { status: response.status, text: await response.text() };
  };

  const wrongValues: [string, Record<string, string>][] = [
    ['no header', {}],
    ['an empty header', { [ORIGIN_VERIFY_HEADER]: '' }],
    ['a wrong value of the same length', { [ORIGIN_VERIFY_HEADER]: randomBytes(32).toString('base64url') }],
    ['the value with a character more', { [ORIGIN_VERIFY_HEADER]: `${expected}x` }],
    ['the value cut short', { [ORIGIN_VERIFY_HEADER]: expected.slice(0, -1) }],
  ];

  it.each(wrongValues)(
    'refuses a valid initiate with %s: 403 FORBIDDEN in the envelope, and nothing is created',
    async (_case, headers) => {
      const app = await newApp('Skipped the edge');
      const answer = await initiate(app.token, headers);
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text)).toEqual({
        FailRules: [{ Code: 'FORBIDDEN', Message: 'Call this API at its public URL' }],
        Data: null,
      });
      expect(answer.text).not.toContain(expected);
      expect(await storedRequestsOf(app.appId)).toEqual([]);
    },
  );

  it('serves the same call with the header, whatever the case of its name', async () => {
    const app = await newApp('Through the edge');
    const answer = await initiate(app.token, { 'X-Origin-Verify': expected });
    expect(answer.status).toBe(201);
    expect(await storedRequestsOf(app.appId)).toHaveLength(1);
  });

  it('guards the routes that authenticate nobody too: the OpenAPI document', async () => {
    expect((await fetch(`${baseUrl}/openapi.json`)).status).toBe(403);
    const served = await fetch(`${baseUrl}/openapi.json`, { headers: { [ORIGIN_VERIFY_HEADER]: expected } });
    expect(served.status).toBe(200);
  });
});

describe('lambdaHandler, the entry of every function Lambda runs', () => {
  afterEach(() => vi.unstubAllEnvs());

  const context = localLambdaContext('origin-verify');
  const httpEvent = (headers: Record<string, string>): APIGatewayProxyEventV2 =>
    buildApiGatewayEvent({
      method: 'GET',
      url: '/openapi.json',
      headers,
      body: Buffer.alloc(0),
      route: { routeKey: 'GET /openapi.json', pathParameters: {} },
      requestId: 'origin-verify-test',
    });

  /** A handler that records each event it is given, so a test sees whether the check let it run. */
  const probe = () => {
    const seen: unknown[] = [];
    const handler = (event: unknown, _context: Context) => {
      seen.push(event);
      return Promise.resolve({ statusCode: 200, body: 'reached' });
    };
    return { seen, handler };
  };

  it(`checks an HTTP API event when ${ORIGIN_VERIFY_ENV} is set, before the handler runs`, async () => {
    vi.stubEnv(ORIGIN_VERIFY_ENV, expected);
    const { seen, handler } = probe();
    const entry = await lambdaHandler(() => handler);
    expect(await entry(httpEvent({}), context)).toMatchObject({ statusCode: 403 });
    expect(await entry(httpEvent({ [ORIGIN_VERIFY_HEADER]: 'guess' }), context)).toMatchObject({ statusCode: 403 });
    expect(seen).toEqual([]);
    expect(await entry(httpEvent({ [ORIGIN_VERIFY_HEADER]: expected }), context)).toMatchObject({ statusCode: 200 });
    expect(seen).toHaveLength(1);
  });

  it('lets a direct invocation (no HTTP API event: IAM authorised the Invoke) through without the header', async () => {
    vi.stubEnv(ORIGIN_VERIFY_ENV, expected);
    const { seen, handler } = probe();
    const entry = await lambdaHandler(() => handler);
    const direct = { signRequestId: 'any', appToken: 'any' };
    expect(await entry(direct as never, context)).toMatchObject({ statusCode: 200 });
    expect(seen).toEqual([direct]);
  });

  it(`checks nothing when ${ORIGIN_VERIFY_ENV} is unset, as on the local server`, async () => {
    vi.stubEnv(ORIGIN_VERIFY_ENV, undefined);
    const { seen, handler } = probe();
    const entry = await lambdaHandler(() => handler);
    expect(await entry(httpEvent({}), context)).toMatchObject({ statusCode: 200 });
    expect(seen).toHaveLength(1);
  });
});
