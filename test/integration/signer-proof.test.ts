import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import { expectConsistent } from '../support/invariants.ts';
import { registerSecret } from '../support/log-guard.ts';
import { storedEventOf, storedEventsOf } from '../support/domain-events.ts';
import { startMailService, type MailService } from '../support/mail-service.ts';
import { storedRequestsOf } from '../support/stored-requests.ts';
import { initiate, newApp, recallBody, signingPath, signersNamed, type Created } from '../support/service.ts';

interface ReadSigner {
  SignerId: string;
  Proof: string | null;
}
interface Read {
  Status: string;
  Signers: ReadSigner[];
  History: { Event: string; SignerId?: string; Proof?: string; Ip?: string }[];
  Recall: { Reason: string; By: string } | null;
  RecallAfterFailedProofs: number | null;
}

let service: MailService;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startMailService();
  app = await newApp('Signer Proofs');
});
afterAll(() => service.close());

/** A code long enough for the log guard to watch (it watches 16 characters and more). */
const newCode = (): string => {
  const code = `code-${Math.random().toString(36).slice(2, 10)}-${Date.now().toString(36)}`.slice(0, 20);
  registerSecret(code);
  return code;
};

const read = (id: string) => service.get<Read>(`/v1/sign-requests/${id}`, { authorization: `Bearer ${app.token}` });
const proofHeader = (code: string) => ({ 'x-signer-proof': code });

/** A request of two signers: the first must give `accessCode`, the second nothing. */
const withCode = async (code: string, extra: Record<string, unknown> = {}) => {
  const [first, second] = signersNamed(2);
  const created = await initiate(service, app.token, 2, {
    signers: [{ ...first, accessCode: code }, second],
    ...extra,
  });
  return { created, links: created.Signers.map((signer) => signingPath(signer.SigningUrl)) };
};

describe('initiate and resend with signer proofs', () => {
  it('keeps an access code only as a salted scrypt hash, shows which proof in the read, never the code or hash', async () => {
    const code = newCode();
    const [first, second, third] = signersNamed(3);
    const created = await initiate(service, app.token, 3, {
      signers: [{ ...first, accessCode: code }, { ...second, verify: 'email' }, third],
      recallAfterFailedProofs: 3,
    });
    const stored = (await signRequests.get(created.SignRequestId))!;
    const [a, b, c] = created.Signers.map((signer) => stored.signers[signer.SignerId]?.proof);
    expect(a?.kind).toBe('ACCESS_CODE');
    const hash = a?.kind === 'ACCESS_CODE' ? a.hash : '';
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(b).toEqual({ kind: 'EMAIL' });
    expect(c).toBeUndefined();
    expect(stored.recallAfterFailedProofs).toBe(3);

    const answer = await read(created.SignRequestId);
    expect(answer.Data.Signers.map((signer) => signer.Proof)).toEqual(['ACCESS_CODE', 'EMAIL', null]);
    expect(answer.Data.RecallAfterFailedProofs).toBe(3);
    const everything = JSON.stringify(answer) + JSON.stringify(await storedRequestsOf(app.appId));
    expect(JSON.stringify(answer)).not.toContain(hash);
    expect(everything).not.toContain(code);
  });

  it('refuses both proofs for one signer, and a code too short or too long, without quoting it', async () => {
    const [first] = signersNamed(1);
    const secretish = 'abc12';
    for (const [signer, field] of [
      [{ ...first, accessCode: 'abcdef123', verify: 'email' }, 'signers.0.verify'],
      [{ ...first, accessCode: secretish }, 'signers.0.accessCode'],
      [{ ...first, accessCode: 'x'.repeat(21) }, 'signers.0.accessCode'],
      [{ ...first, verify: 'sms' }, 'signers.0.verify'],
    ] as const) {
      const answer = await service.post('/v1/sign-requests', {
        appToken: app.token,
        documentName: 'Contract.pdf',
        signers: [signer],
      });
      expect(answer.status).toBe(400);
      expect(answer.FailRules.map((rule) => rule.Field)).toEqual([field]);
      expect(JSON.stringify(answer.FailRules)).not.toContain(secretish);
      expect(JSON.stringify(answer.FailRules)).not.toContain('x'.repeat(21));
    }
    const zero = await service.post('/v1/sign-requests', {
      appToken: app.token,
      documentName: 'Contract.pdf',
      signers: signersNamed(1),
      recallAfterFailedProofs: 0,
    });
    expect(zero.status).toBe(400);
    expect(zero.FailRules[0]?.Field).toBe('recallAfterFailedProofs');
  });

  it('resend keeps each signer’s proof (the very hash) and the recall bound', async () => {
    const code = newCode();
    const { created } = await withCode(code, { recallAfterFailedProofs: 4 });
    expect((await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token))).status).toBe(
      200,
    );
    const resent = await service.post<Created>(`/v1/sign-requests/${created.SignRequestId}/resend`, undefined, {
      authorization: `Bearer ${app.token}`,
    });
    expect(resent.status).toBe(201);
    const before = (await signRequests.get(created.SignRequestId))!;
    const after = (await signRequests.get(resent.Data.SignRequestId))!;
    const proofsOf = (request: typeof before) =>
      Object.values(request.signers)
        .sort((x, y) => x.order - y.order)
        .map((signer) => signer.proof);
    expect(proofsOf(after)).toEqual(proofsOf(before));
    expect(after.recallAfterFailedProofs).toBe(4);
    const link = signingPath(resent.Data.Signers[0]!.SigningUrl);
    expect((await service.get(link, proofHeader(code))).status).toBe(200);
    expect(JSON.stringify(before.resend)).not.toContain(code);
  });

  it('an Idempotency-Key replay keeps no access code in clear, and another code under the same key is refused', async () => {
    const code = newCode();
    const [first] = signersNamed(1);
    const body = { appToken: app.token, documentName: 'Contract.pdf', signers: [{ ...first, accessCode: code }] };
    const key = { 'idempotency-key': `proof-${Date.now()}` };
    const one = await service.post<Created>('/v1/sign-requests', body, key);
    const two = await service.post<Created>('/v1/sign-requests', body, key);
    expect(one.status).toBe(201);
    expect(two.status).toBe(201);
    expect(two.Data.SignRequestId).toBe(one.Data.SignRequestId);
    const other = await service.post(
      '/v1/sign-requests',
      { ...body, signers: [{ ...first, accessCode: newCode() }] },
      key,
    );
    expect(other.status).toBe(422);
    // Nothing the table holds (requests, the key's records) has the code.
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const { config, documentClient } = await import('../support/dependencies.ts');
    const all = await documentClient.send(new ScanCommand({ TableName: config.tableName, ConsistentRead: true }));
    expect((all.Items ?? []).length).toBeGreaterThan(0);
    expect(JSON.stringify(all.Items)).not.toContain(code);
  });
});

describe('the JSON link API asks for the proof: X-Signer-Proof', () => {
  it('answers 401 SIGNER_PROOF_REQUIRED without it, 401 SIGNER_PROOF_INVALID for a wrong one, the view with the right one', async () => {
    const code = newCode();
    const { created, links } = await withCode(code);
    const [link, other] = links as [string, string];

    for (const path of [link, `${link}/document`]) {
      const missing = await service.get(path);
      expect(missing.status).toBe(401);
      expect(missing.FailRules[0]?.Code).toBe('SIGNER_PROOF_REQUIRED');
    }
    const noSign = await service.post(`${link}/sign`);
    expect([noSign.status, noSign.FailRules[0]?.Code]).toEqual([401, 'SIGNER_PROOF_REQUIRED']);

    // Close or far, the same answer, byte for byte.
    const near = await service.get(link, proofHeader(code.slice(0, -1)));
    const far = await service.get(link, proofHeader('zzzzzzzzzz'));
    expect([near.status, near.FailRules]).toEqual([
      401,
      [{ Code: 'SIGNER_PROOF_INVALID', Message: 'This code is not valid' }],
    ]);
    expect(far.FailRules).toEqual(near.FailRules);

    const right = await service.get<{ SignerId: string }>(link, proofHeader(code));
    expect(right.status).toBe(200);
    // The signer with no proof needs none.
    expect((await service.get(other)).status).toBe(200);

    const stored = (await signRequests.get(created.SignRequestId))!;
    const signer = stored.signers[created.Signers[0]!.SignerId]!;
    expect([signer.failedProofs, signer.failedProofsTotal]).toEqual([0, 2]);
    const entries = stored.history.filter((entry) => entry.signerId === created.Signers[0]!.SignerId);
    expect(entries.map((entry) => [entry.event, entry.proof])).toEqual([
      ['AUTH_FAILED', undefined],
      ['AUTH_FAILED', undefined],
      ['VIEWED', 'ACCESS_CODE'],
    ]);
    expect(entries[0]?.ip).toBe('127.0.0.1');
  });

  it('signs and declines only with the proof, recording which proof on SIGNED and DECLINED', async () => {
    const code = newCode();
    const { created, links } = await withCode(code);
    const signed = await service.post(`${links[0]}/sign`, undefined, proofHeader(code));
    expect(signed.status).toBe(200);

    const code2 = newCode();
    const declined = await withCode(code2);
    const wrong = await service.post(`${declined.links[0]}/decline`, { reason: 'No' }, proofHeader('wrong-code'));
    expect([wrong.status, wrong.FailRules[0]?.Code]).toEqual([401, 'SIGNER_PROOF_INVALID']);
    const ok = await service.post(`${declined.links[0]}/decline`, { reason: 'No' }, proofHeader(code2));
    expect(ok.status).toBe(200);

    const signedHistory = (await read(created.SignRequestId)).Data.History;
    expect(signedHistory.find((entry) => entry.Event === 'SIGNED')?.Proof).toBe('ACCESS_CODE');
    const declinedRead = await read(declined.created.SignRequestId);
    expect(declinedRead.Data.History.map((entry) => [entry.Event, entry.Proof])).toEqual([
      ['CREATED', undefined],
      ['AUTH_FAILED', undefined],
      ['DECLINED', 'ACCESS_CODE'],
    ]);
    expectConsistent((await signRequests.get(declined.created.SignRequestId))!);
    // A signed signer's later wrong proof is still a wrong proof; the right one meets the state: 409.
    const again = await service.post(`${links[0]}/sign`, undefined, proofHeader(code));
    expect([again.status, again.FailRules[0]?.Code]).toEqual([409, 'ALREADY_SIGNED']);
  });

  it('a recalled request answers 410 before any proof, and counts nothing', async () => {
    const code = newCode();
    const { created, links } = await withCode(code);
    await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token));
    for (const proof of [{}, proofHeader('wrong-code'), proofHeader(code)]) {
      const answer = await service.get(links[0]!, proof);
      expect([answer.status, answer.FailRules[0]?.Code]).toEqual([410, 'SIGN_REQUEST_CANCELLED']);
    }
    const stored = (await signRequests.get(created.SignRequestId))!;
    expect(stored.signers[created.Signers[0]!.SignerId]?.failedProofsTotal).toBeUndefined();
    expectConsistent(stored);
  });
});

describe('wrong proofs are counted: a lock after 5 in a row, a recall by the service at the app’s bound', () => {
  it('locks the signer at the fifth wrong proof in a row for 15 minutes: 429 SIGNER_LOCKED with Retry-After, before any proof', async () => {
    const code = newCode();
    const { created, links } = await withCode(code);
    const link = links[0]!;
    const signerId = created.Signers[0]!.SignerId;
    for (let wrong = 1; wrong <= 4; wrong++) {
      const answer = await service.get(link, proofHeader(`wrong-${wrong}-code`));
      expect([answer.status, answer.FailRules[0]?.Code]).toEqual([401, 'SIGNER_PROOF_INVALID']);
    }
    const before = Date.now();
    const fifth = await service.get(link, proofHeader('wrong-5-code'));
    expect([fifth.status, fifth.FailRules[0]?.Code]).toEqual([429, 'SIGNER_LOCKED']);
    expect(fifth.headers.get('retry-after')).toBe('900');

    // Locked, the right code is not even looked at; nothing more is counted; signing and declining are refused.
    for (const attempt of [
      () => service.get(link, proofHeader(code)),
      () => service.get(link, proofHeader('wrong-6-code')),
      () => service.post(`${link}/sign`, undefined, proofHeader(code)),
      () => service.post(`${link}/decline`, { reason: 'No' }, proofHeader(code)),
      () => service.get(`${link}/document`, proofHeader(code)),
    ]) {
      const answer = await attempt();
      expect([answer.status, answer.FailRules[0]?.Code]).toEqual([429, 'SIGNER_LOCKED']);
      const retryAfter = Number(answer.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
    }
    const stored = (await signRequests.get(created.SignRequestId))!;
    const signer = stored.signers[signerId]!;
    expect([signer.failedProofs, signer.failedProofsTotal, signer.status]).toEqual([5, 5, 'PENDING']);
    const lockedFor = Date.parse(signer.lockedUntil ?? '') - before;
    expect(lockedFor).toBeGreaterThan(14 * 60_000);
    expect(lockedFor).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    expect(stored.history.filter((entry) => entry.event === 'AUTH_FAILED')).toHaveLength(5);
    // Another signer of the same request is not locked.
    expect((await service.post(`${links[1]}/sign`)).status).toBe(200);
    // A wrong proof is recorded, never announced.
    expect((await storedEventsOf(created.SignRequestId)).map((event) => event.type)).toEqual([
      'SignRequestCreated',
      'SignerSigned',
    ]);
  });

  it('a right proof sets the wrong ones in a row back to 0, so a lock needs five in a row', async () => {
    const code = newCode();
    const { created, links } = await withCode(code);
    const link = links[0]!;
    for (let round = 0; round < 2; round++) {
      for (let wrong = 0; wrong < 4; wrong++)
        expect((await service.get(link, proofHeader('wrong-code'))).status).toBe(401);
      expect((await service.get(link, proofHeader(code))).status).toBe(200);
    }
    const signer = (await signRequests.get(created.SignRequestId))!.signers[created.Signers[0]!.SignerId]!;
    expect([signer.failedProofs, signer.failedProofsTotal, signer.lockedUntil]).toEqual([0, 8, undefined]);
    // The document route's right proof resets too (no act of its own to ride on).
    expect((await service.get(link, proofHeader('wrong-code'))).status).toBe(401);
    await fetch(`${service.baseUrl}${link}/document`, { headers: proofHeader(code) });
    expect((await signRequests.get(created.SignRequestId))!.signers[created.Signers[0]!.SignerId]?.failedProofs).toBe(
      0,
    );
  });

  it('recalls the request in the same write when one signer’s wrong proofs reach recallAfterFailedProofs, told as a recall', async () => {
    const code = newCode();
    const { created, links } = await withCode(code, {
      recallAfterFailedProofs: 3,
      senderEmail: 'sender@example.com',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect((await service.post(`${links[1]}/sign`)).status).toBe(200);
    for (let wrong = 1; wrong <= 3; wrong++) {
      const answer = await service.post(`${links[0]}/sign`, undefined, proofHeader(`wrong-${wrong}-code`));
      expect([answer.status, answer.FailRules[0]?.Code]).toEqual([401, 'SIGNER_PROOF_INVALID']);
    }
    const answer = await read(created.SignRequestId);
    expect(answer.Data.Status).toBe('CANCELLED');
    expect(answer.Data.Recall).toMatchObject({
      By: 'esign-recall (failed signer proofs)',
      Reason: 'Recalled by the service after 3 failed signer proofs',
    });
    expect(answer.Data.History.map((entry) => entry.Event)).toEqual([
      'CREATED',
      'SIGNED',
      'AUTH_FAILED',
      'AUTH_FAILED',
      'AUTH_FAILED',
      'RECALLED',
    ]);
    const stored = (await signRequests.get(created.SignRequestId))!;
    expectConsistent(stored);
    // Out of the expiry index, as every close.
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const { config, documentClient } = await import('../support/dependencies.ts');
    const { signRequestKey } = await import('../../functions/store/keys.ts');
    const item = await documentClient.send(
      new GetCommand({ TableName: config.tableName, Key: signRequestKey(created.SignRequestId), ConsistentRead: true }),
    );
    expect(Object.keys(item.Item ?? {}).filter((name) => name.startsWith('gsi2'))).toEqual([]);

    const event = await storedEventOf(created.SignRequestId, 'SignRequestRecalled');
    expect(event.recall).toMatchObject({ by: 'esign-recall (failed signer proofs)' });
    const mail = await service.mail(created.SignRequestId);
    const recalled = mail.filter((entry) => entry.Kind === 'RECALLED').map((entry) => entry.To);
    expect(recalled.sort()).toEqual([...created.Signers.map((signer) => signer.Email), 'sender@example.com'].sort());
    // Every link now answers 410, the right code too.
    const after = await service.get(links[0]!, proofHeader(code));
    expect([after.status, after.FailRules[0]?.Code]).toEqual([410, 'SIGN_REQUEST_CANCELLED']);
    // No read, event or mail carries the hash or the code.
    const hash = stored.signers[created.Signers[0]!.SignerId]?.proof;
    const hashText = hash?.kind === 'ACCESS_CODE' ? hash.hash : 'none';
    const outward = JSON.stringify([answer, await storedEventsOf(created.SignRequestId), mail]);
    expect(outward).not.toContain(hashText);
    expect(outward).not.toContain(code);
  });
});
