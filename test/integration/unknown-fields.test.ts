import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as recallHandler } from '../../functions/handlers/recall.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { signRequests } from '../support/dependencies.ts';
import {
  initiate,
  newApp,
  recallBody,
  signersNamed,
  signingPath,
  startService,
  type Service,
} from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Strict');
});
afterAll(() => service.close());

const unknown = (field: string, key = field.split('.').at(-1)) => ({
  Code: 'VALIDATION_FAILED',
  Message: `Received unknown parameter: ${key}`,
  Field: field,
});

describe('a body field no route knows answers 400 naming it, and changes nothing', () => {
  it('initiate: a misspelt deadline (expires_at) creates no request without a deadline', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const answer = await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: 'NDA.pdf',
      signers: signersNamed(1),
      expires_at: expiresAt,
    });
    expect(answer).toMatchObject({ status: 400, FailRules: [unknown('expires_at')], Data: null });
    // The app's first request is still number 1: the refused call numbered nothing.
    expect((await initiate(service, app.token, 1, { expiresAt })).RequestNo).toBe('KAiZEN-1');
  });

  it('initiate: each unknown key is its own rule, a signer’s by its place in the list, beside other rules', async () => {
    const answer = await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: '',
      signers: [
        { name: 'A', email: 'a@example.com' },
        { name: 'B', email: 'b@example.com', phone: '+1 555', role: 'cc' },
      ],
      cc: 'x@example.com',
    });
    expect(answer.status).toBe(400);
    expect(answer.FailRules).toEqual(
      expect.arrayContaining([unknown('signers.1.phone'), unknown('signers.1.role'), unknown('cc')]),
    );
    expect(answer.FailRules.map((rule) => rule.Field).sort()).toEqual(
      ['cc', 'documentName', 'signers.1.phone', 'signers.1.role'].sort(),
    );
  });

  it('recall: the body’s appToken is accepted, an unknown field is refused before any write', async () => {
    const created = await initiate(service, app.token, 1);
    const refused = await service.post('/v1/sign-requests/recall', {
      ...recallBody(created.SignRequestId, app.token),
      reason: 'typo of recallReason',
    });
    expect(refused).toMatchObject({ status: 400, FailRules: [unknown('reason')], Data: null });
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
    const recalled = await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    expect(recalled).toMatchObject({ status: 200, Data: true });
  });

  it('sign: an unknown field is refused and the signer has not signed', async () => {
    const created = await initiate(service, app.token, 1);
    const path = `${signingPath(created.Signers[0]!.SigningUrl)}/sign`;
    // appToken means nothing on a signer's route: there it is as unknown as any other key.
    const refused = await service.post(path, { signedName: 'Signer 1', appToken: app.token });
    expect(refused).toMatchObject({ status: 400, FailRules: [unknown('appToken')], Data: null });
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
    expect(await service.post(path, { signedName: 'Signer 1' })).toMatchObject({ status: 200 });
  });

  it('a body field named like a path parameter is refused by name, never dropped for the path’s value', async () => {
    const created = await initiate(service, app.token, 2, { sendInvitations: false });
    const other = await initiate(service, app.token, 1, { sendInvitations: false });
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    const bearer = { authorization: `Bearer ${app.token}` };
    const resend = await service.post(
      `/v1/sign-requests/${created.SignRequestId}/resend`,
      { signRequestId: other.SignRequestId },
      bearer,
    );
    expect(resend).toMatchObject({ status: 400, FailRules: [unknown('signRequestId')], Data: null });
    expect((await signRequests.get(created.SignRequestId))?.resend).toBeUndefined();
    const remind = await service.post(
      `/v1/sign-requests/${other.SignRequestId}/remind`,
      { signRequestId: created.SignRequestId },
      bearer,
    );
    expect(remind).toMatchObject({ status: 400, FailRules: [unknown('signRequestId')], Data: null });
    expect((await signRequests.get(other.SignRequestId))?.history.map((entry) => entry.event)).toEqual(['CREATED']);

    const [first, second] = created.Signers.map((signer) => signingPath(signer.SigningUrl));
    const open = await initiate(service, app.token, 1, { sendInvitations: false });
    const openLink = signingPath(open.Signers[0]!.SigningUrl);
    const sign = await service.post(`${openLink}/sign`, { signingToken: first!.split('/').at(-1) });
    expect(sign).toMatchObject({ status: 400, FailRules: [unknown('signingToken')], Data: null });
    const decline = await service.post(`${openLink}/decline`, {
      reason: 'No',
      signingToken: second!.split('/').at(-1),
    });
    expect(decline).toMatchObject({ status: 400, FailRules: [unknown('signingToken')], Data: null });
    // As form fields from the signer's page too: refused on the page, nothing signed or declined.
    for (const action of ['sign', 'decline']) {
      const page = await fetch(`${service.baseUrl}${openLink}/${action}`, {
        method: 'POST',
        headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ signedName: 'X', reason: 'No', signingToken: 'x' }).toString(),
      });
      expect(page.status, action).toBe(400);
      expect(await page.text(), action).toContain('Received unknown parameter: signingToken');
    }
    expect((await signRequests.get(open.SignRequestId))?.status).toBe('PENDING');
  });

  it('direct invocation: an EventBridge detail with an unknown field gets the same refusal as its envelope', async () => {
    const created = await initiate(service, app.token, 1);
    const event = {
      version: '0',
      id: 'evt-unknown-field',
      'detail-type': 'RecallRequested',
      source: 'acme.crm',
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: { ...recallBody(created.SignRequestId, app.token), recalled_by: 'Mohit' },
    };
    expect(await recallHandler(event, localLambdaContext('direct'))).toEqual({
      FailRules: [unknown('recalled_by')],
      Data: null,
    });
    expect((await signRequests.get(created.SignRequestId))?.status).toBe('PENDING');
  });
});
