import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initiate, newApp, recallBody, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Edges');
});
afterAll(() => service.close());

const statusOf = (id: string) =>
  service.get<{ Status: string }>(`/v1/sign-requests/${id}`, { authorization: `Bearer ${app.token}` });

describe('the HTTP edge', () => {
  it('answers an unknown path with 404 ROUTE_NOT_FOUND in the envelope', async () => {
    expect(await service.get('/v1/nothing-here')).toMatchObject({
      status: 404,
      Data: null,
      FailRules: [{ Code: 'ROUTE_NOT_FOUND' }],
    });
  });

  it('answers a known path with the wrong method with 405 and an Allow header', async () => {
    const answer = await service.post('/v1/signing/some-token', {});
    expect(answer).toMatchObject({ status: 405, FailRules: [{ Code: 'METHOD_NOT_ALLOWED' }] });
    expect(answer.headers.get('allow')).toBe('GET');
  });

  it('refuses a body over 1 MiB with 413 before acting on it', async () => {
    const created = await initiate(service, app.token);
    const answer = await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      padding: 'x'.repeat(1024 * 1024),
    });
    expect(answer).toMatchObject({ status: 413, FailRules: [{ Code: 'PAYLOAD_TOO_LARGE' }] });
    expect((await statusOf(created.SignRequestId)).Data.Status).toBe('PENDING');
  });

  it('refuses a body larger than API Gateway accepts without reading it all', async () => {
    const answer = await service.post('/v1/sign-requests', 'x'.repeat(11 * 1024 * 1024));
    expect(answer).toMatchObject({ status: 413, FailRules: [{ Code: 'PAYLOAD_TOO_LARGE' }] });
  });

  it('refuses a body sent as another media type with 415', async () => {
    const answer = await service.post('/v1/sign-requests/recall', JSON.stringify(recallBody('x', app.token)), {
      'content-type': 'text/plain',
    });
    expect(answer).toMatchObject({ status: 415, FailRules: [{ Code: 'UNSUPPORTED_MEDIA_TYPE' }] });
  });

  it('accepts a JSON body whose content type has a charset or a +json suffix', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.api+json']) {
      const created = await initiate(service, app.token);
      const answer = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token), {
        'content-type': contentType,
      });
      expect(answer.status).toBe(200);
    }
  });

  it('refuses a query parameter named __proto__ by name, as the deployed function does (API Gateway passes it as a key)', async () => {
    const answer = await service.get('/v1/sign-requests?__proto__=1', { authorization: `Bearer ${app.token}` });
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'Received unknown parameter: __proto__', Field: '__proto__' },
    ]);
  });

  it('answers GET / with a small local home page linking the docs and the mailbox (npm start only)', async () => {
    const response = await fetch(`${service.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const page = await response.text();
    for (const link of ['/docs', '/local/mail', '/openapi.json']) expect(page).toContain(`href="${link}"`);
    expect(page).toContain('Walk-through');
    // Only GET: anything else at / is still the API's 404.
    expect((await service.post('/', {})).status).toBe(404);
  });

  it('tags every answer with a request id', async () => {
    const answers = [await service.get('/nope'), await service.post('/v1/sign-requests/recall', '{')];
    for (const answer of answers) expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets the HTTP server refuse oversized headers with 431 before any code runs', async () => {
    const url = new URL(service.baseUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: '/v1/sign-requests/recall',
          method: 'POST',
          headers: { 'x-big': 'a'.repeat(64 * 1024) },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(431);
  });
});
