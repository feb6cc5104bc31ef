import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esignClient, recallScenarios } from '../../docs/examples/client/recall-scenarios.ts';
import { registerSecret } from '../support/log-guard.ts';
import { newApp, startService, type Service } from '../support/service.ts';

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

describe('the client generated from openapi.json (docs/examples/client), against the real local server', () => {
  it("runs the KAiZEN scenarios and gets the contract's answers", async () => {
    const app = await newApp('Typed client');
    const outcome = await recallScenarios(esignClient(service.baseUrl), app.token);

    expect(outcome.initiated.status).toBe(201);
    expect(outcome.initiated.requestNo).toMatch(/^KAiZEN-\d+$/);
    expect(outcome.read).toEqual({ status: 200, signRequestStatus: 'PENDING', etag: '"1"' });
    expect(outcome.signed).toEqual({ status: 200, signRequestStatus: 'PARTIALLY_SIGNED' });
    expect(outcome.staleRecall).toEqual({
      status: 412,
      failRules: [
        {
          Code: 'PRECONDITION_FAILED',
          Message: 'This request has changed since the version named in If-Match; read it again for its current ETag',
        },
      ],
    });
    expect(outcome.recalled).toEqual({ status: 200, data: true });
    expect(outcome.recalledAgain).toEqual({
      status: 409,
      failRules: [{ Code: 'SIGN_REQUEST_ALREADY_CANCELLED', Message: 'This request is already cancelled' }],
    });
    expect(outcome.badToken).toEqual({
      status: 401,
      failRules: [{ Code: 'INVALID_APP_TOKEN', Message: 'Invalid App Token' }],
    });
    expect(outcome.unknownId).toEqual({
      status: 404,
      failRules: [{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }],
    });
    expect(outcome.resent).toMatchObject({ status: 201, replaces: outcome.initiated.signRequestId });
    // A fresh app has exactly these two requests: one a page, newest first, and the second page is the last.
    expect(outcome.listed).toEqual([
      { status: 200, items: [{ id: outcome.resent.signRequestId, status: 'PENDING' }], hasNext: true },
      { status: 200, items: [{ id: outcome.initiated.signRequestId, status: 'CANCELLED' }], hasNext: false },
    ]);
  });

  it('reads the request it recalled as CANCELLED, with the recall and its replacement on record', async () => {
    const app = await newApp('Typed client read');
    const client = esignClient(service.baseUrl);
    const outcome = await recallScenarios(client, app.token);
    const { initiated } = outcome;
    const read = await client.GET('/v1/sign-requests/{signRequestId}', {
      params: { path: { signRequestId: initiated.signRequestId } },
      headers: { Authorization: `Bearer ${app.token}` },
    });
    expect(read.response.status).toBe(200);
    expect(read.data?.Data).toMatchObject({
      Status: 'CANCELLED',
      Recall: { Reason: 'Request raised mistakenly', By: 'Mohit Bansal' },
      ReplacedBySignRequestId: outcome.resent.signRequestId,
    });
  });
});

describe('the typed client changes and removes a signer', () => {
  it('PATCH and DELETE .../signers/{signerId}, typed from openapi.json', async () => {
    const app = await newApp('Typed client signers');
    const client = esignClient(service.baseUrl);
    const created = await client.POST('/v1/sign-requests', {
      body: {
        appToken: app.token,
        documentName: 'Typed.pdf',
        signers: [
          { name: 'Asha Rao', email: 'asha@example.com' },
          { name: 'Ben Okafor', email: 'ben@example.com' },
        ],
        sendInvitations: false,
      },
    });
    const id = created.data!.Data.SignRequestId;
    const [asha, ben] = created.data!.Data.Signers;
    const headers = { Authorization: `Bearer ${app.token}` };
    const changed = await client.PATCH('/v1/sign-requests/{signRequestId}/signers/{signerId}', {
      params: { path: { signRequestId: id, signerId: asha!.SignerId } },
      headers,
      body: { email: 'asha.rao@example.com' },
    });
    expect(changed.response.status).toBe(200);
    expect(changed.data?.Data).toMatchObject({ ReplacedSignerId: asha!.SignerId, Email: 'asha.rao@example.com' });
    registerSecret(changed.data!.Data.SigningUrl.split('.').at(-1) ?? '');
    const removed = await client.DELETE('/v1/sign-requests/{signRequestId}/signers/{signerId}', {
      params: { path: { signRequestId: id, signerId: ben!.SignerId } },
      headers,
    });
    expect(removed.response.status).toBe(200);
    expect(removed.data?.Data).toEqual({
      SignRequestId: id,
      RemovedSignerId: ben!.SignerId,
      Status: 'PENDING',
      SignerCount: 1,
    });
    const last = await client.DELETE('/v1/sign-requests/{signRequestId}/signers/{signerId}', {
      params: { path: { signRequestId: id, signerId: changed.data!.Data.SignerId } },
      headers,
    });
    expect(last.response.status).toBe(409);
    expect(last.error?.FailRules[0]?.Code).toBe('LAST_SIGNER');
  });
});

describe('GET /openapi.json and GET /docs on the local server', () => {
  it('serves the committed document', async () => {
    const response = await fetch(`${service.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v1/sign-requests/recall');
  });

  it('serves the docs page and its script from this server, under a Content-Security-Policy', async () => {
    const page = await fetch(`${service.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<script src="/docs/redoc.standalone.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${service.baseUrl}/docs/redoc.standalone.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await script.text()).not.toContain('cdn.redoc.ly');
  });
});
