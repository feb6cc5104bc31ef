import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../support/dependencies.ts';
import { captureWrites } from '../support/log-guard.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';
import { injectStoreFault } from '../support/store-faults.ts';

// The functions read their log level at load, and reset to it on every invocation: set it before they load.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

let service: Service;
let writes: string[] = [];
/** Every line written, stdout (INFO, DEBUG) and stderr (WARN and ERROR, with whole error objects) alike. */
const lines = () => writes.flatMap((write) => write.split('\n').filter(Boolean));

beforeAll(async () => {
  service = await startService();
  writes = captureWrites();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await service.close();
});

describe('logs', () => {
  it('log one structured line per request and never an app token or a signing token', async () => {
    const app = await newApp('Logging');
    const created = await initiate(service, app.token, 2);
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const signingToken = link.split('/').at(-1)!;
    await service.get(link);
    await service.post(`${link}/sign`);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    await service.post(`${link}/sign`);
    await service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: `Bearer ${app.token}` });
    await service.post('/v1/sign-requests/recall', `{"appToken":"${app.token}", broken`);
    await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      recallReason: 7,
    });
    // Failures are logged with the whole error: a store outage while signing, recalling with a key, initiating.
    const other = await initiate(service, app.token, 1);
    const fault = injectStoreFault(documentClient, 'outage', { operations: ['UpdateItem', 'PutItem'] });
    await service.post(`${signingPath(other.Signers[0]!.SigningUrl)}/sign`);
    await service.post('/v1/sign-requests/recall', recallBody(other.SignRequestId, app.token), {
      'idempotency-key': 'k',
    });
    await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: 'D',
      signers: [{ name: 'A', email: 'a@example.com' }],
    });
    fault.heal();

    const entries = lines().map(
      (line) => JSON.parse(line) as { message: string; route?: string; status?: number; code?: string; appId?: string },
    );
    expect(
      entries.filter((entry) => entry.message === 'request').map((entry) => [entry.route, entry.status, entry.code]),
    ).toEqual([
      ['POST /v1/sign-requests', 201, 'OK'],
      ['GET /v1/signing/{signingToken}', 200, 'OK'],
      ['POST /v1/signing/{signingToken}/sign', 200, 'OK'],
      ['POST /v1/sign-requests/recall', 200, 'OK'],
      ['POST /v1/sign-requests/recall', 409, 'SIGN_REQUEST_ALREADY_CANCELLED'],
      ['POST /v1/signing/{signingToken}/sign', 410, 'SIGN_REQUEST_CANCELLED'],
      ['GET /v1/sign-requests/{signRequestId}', 200, 'OK'],
      ['POST /v1/sign-requests/recall', 400, 'INVALID_JSON'],
      ['POST /v1/sign-requests/recall', 400, 'VALIDATION_FAILED'],
      ['POST /v1/sign-requests', 201, 'OK'],
      ['POST /v1/signing/{signingToken}/sign', 503, 'SERVICE_UNAVAILABLE'],
      ['POST /v1/sign-requests/recall', 503, 'SERVICE_UNAVAILABLE'],
      ['POST /v1/sign-requests', 503, 'SERVICE_UNAVAILABLE'],
    ]);
    // Once a route has authenticated an app, its line names the app (an id, never the token): not on the signing
    // routes, nor on a body refused before its token was read.
    expect(entries.filter((entry) => entry.message === 'request').map((entry) => entry.appId ?? null)).toEqual([
      app.appId,
      null,
      null,
      app.appId,
      app.appId,
      null,
      app.appId,
      null,
      app.appId,
      app.appId,
      null,
      app.appId,
      app.appId,
    ]);
    expect(entries.filter((entry) => entry.message === 'store unavailable').length).toBeGreaterThan(0);
    const secret = signingToken.split('.').at(-1)!;
    for (const line of lines()) {
      expect(line).not.toContain(app.token);
      expect(line).not.toContain(secret);
    }
  });
});
