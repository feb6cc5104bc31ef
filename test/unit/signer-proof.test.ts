import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import { MAX_RECORDED_FAILED_PROOFS, planFailedProof, SERVICE_RECALLER } from '../../functions/core/failed-proof.ts';
import type { SignRequest, Signer } from '../../functions/core/sign-request.ts';
import { isLocked, lockRefusal, locksAt } from '../../functions/core/signer-lock.ts';
import {
  ACCESS_CODE_MAX_LENGTH,
  accessCodeMatches,
  checkSignerProof,
  hashAccessCode,
  signerProofOf,
  withStoredProofs,
} from '../../functions/core/signer-proof.ts';
import { certificateContent } from '../../functions/documents/certificate-content.ts';
import { requestCertificateFacts } from '../../functions/documents/request-certificate-facts.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-01T00:00:00.000Z';
const plusMs = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

describe('hashAccessCode and accessCodeMatches', () => {
  it('hashes with scrypt under a fresh salt, the parameters in the string, and matches only the very code', async () => {
    const one = await hashAccessCode('Tulip-4471');
    const two = await hashAccessCode('Tulip-4471');
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // A salt of its own: the same code never hashes alike twice, so equal codes cannot be spotted in the table.
    expect(one).not.toBe(two);
    expect(one).not.toContain('Tulip');
    expect(await accessCodeMatches(one, 'Tulip-4471')).toBe(true);
    expect(await accessCodeMatches(two, 'Tulip-4471')).toBe(true);
    for (const wrong of ['Tulip-4472', 'tulip-4471', 'Tulip-447', 'Tulip-44711', ''])
      expect(await accessCodeMatches(one, wrong)).toBe(false);
  });

  it('reads the parameters from the stored string, so other costs still verify, and a malformed one matches nothing', async () => {
    const stored = await hashAccessCode('abcdef');
    const parts = stored.split('$');
    expect(await accessCodeMatches(parts.join('$'), 'abcdef')).toBe(true);
    // The same key under other parameters is another hash: the parameters are really used.
    expect(await accessCodeMatches(['scrypt', '16384', ...parts.slice(2)].join('$'), 'abcdef')).toBe(false);
    for (const malformed of ['', 'bcrypt$x', `${stored}$extra`, stored.replace('scrypt', 'argon2'), 'scrypt$0$8$1$a$b'])
      expect(await accessCodeMatches(malformed, 'abcdef')).toBe(false);
  });

  it('stores an access code hashed, verify: "email" as EMAIL, and nothing for neither', async () => {
    const code = await signerProofOf({ accessCode: 'abcdef' });
    expect(code?.kind).toBe('ACCESS_CODE');
    expect(JSON.stringify(code)).not.toContain('abcdef');
    expect(await signerProofOf({ verify: 'email' })).toEqual({ kind: 'EMAIL' });
    expect(await signerProofOf({})).toBeUndefined();
  });
});

describe('checkSignerProof', () => {
  const signer = (fields: Partial<Signer>): Signer => ({
    name: 'S',
    email: 's@example.com',
    order: 0,
    status: 'PENDING',
    tokenHash: '0'.repeat(64),
    ...fields,
  });

  it('passes a signer with no proof whatever is presented; asks, refuses or passes one with a code', async () => {
    expect(await checkSignerProof(signer({}), undefined, NOW)).toBe('ok');
    expect(await checkSignerProof(signer({}), 'anything', NOW)).toBe('ok');
    const coded = signer({ proof: { kind: 'ACCESS_CODE', hash: await hashAccessCode('abcdef') } });
    expect(await checkSignerProof(coded, undefined, NOW)).toBe('required');
    expect(await checkSignerProof(coded, '', NOW)).toBe('required');
    expect(await checkSignerProof(coded, 'abcdeg', NOW)).toBe('invalid');
    expect(await checkSignerProof(coded, 'abcdef', NOW)).toBe('ok');
  });

  it('an EMAIL signer with no code sent yet, or an expired one, gives an invalid proof', async () => {
    const { hashEmailCode } = await import('../../functions/core/email-code.ts');
    const email = signer({ proof: { kind: 'EMAIL' } });
    expect(await checkSignerProof(email, '123456', NOW)).toBe('invalid');
    const sent = signer({
      proof: { kind: 'EMAIL' },
      emailCode: { hash: hashEmailCode(email, '123456'), expiresAt: plusMs(NOW, 60_000), sentAt: [NOW] },
    });
    expect(await checkSignerProof(sent, '123456', NOW)).toBe('ok');
    expect(await checkSignerProof(sent, '123457', NOW)).toBe('invalid');
    expect(await checkSignerProof(sent, '123456', plusMs(NOW, 60_000))).toBe('invalid');
  });
});

describe('the lock', () => {
  it('locks at every fifth wrong proof in a row, and refuses with the whole seconds left until it ends', () => {
    expect([1, 2, 3, 4, 5, 6, 9, 10].map(locksAt)).toEqual([false, false, false, false, true, false, false, true]);
    const lockedUntil = plusMs(NOW, 90_500);
    expect(isLocked({ lockedUntil }, NOW)).toBe(true);
    expect(isLocked({ lockedUntil }, lockedUntil)).toBe(false);
    expect(isLocked({}, NOW)).toBe(false);
    const refusal = lockRefusal({ lockedUntil }, NOW);
    expect(refusal).toBeInstanceOf(DomainError);
    expect([refusal?.code, refusal?.kind, refusal?.retryAfterSeconds]).toEqual(['SIGNER_LOCKED', 'too-many', 91]);
    expect(lockRefusal({ lockedUntil }, plusMs(lockedUntil, 1))).toBeUndefined();
    expect(lockRefusal(undefined, NOW)).toBeUndefined();
  });
});

describe('planFailedProof', () => {
  const withProof = (overrides: Partial<SignRequest> = {}, signerFields: Partial<Signer> = {}) => {
    const { request, tokens } = freshRequest(2, { updatedAt: plusMs(NOW, -1000), ...overrides });
    const token = tokens[0]!;
    request.signers[token.signerId] = {
      ...request.signers[token.signerId]!,
      proof: { kind: 'ACCESS_CODE', hash: 'scrypt$1$1$1$a$b' },
      ...signerFields,
    };
    return { request, token };
  };

  it('counts one more in a row and in all, with an AUTH_FAILED entry carrying the evidence and nothing else', () => {
    const { request, token } = withProof({}, { failedProofs: 2, failedProofsTotal: 7 });
    const plan = planFailedProof(request, token, NOW, { ip: '203.0.113.9', userAgent: 'UA' }, 'CALL');
    expect(plan).toMatchObject({
      readFailedProofs: 2,
      readFailedProofsTotal: 7,
      failedProofs: 3,
      failedProofsTotal: 8,
    });
    expect(plan.lockedUntil).toBeUndefined();
    expect(plan.recall).toBeUndefined();
    expect(plan.history).toEqual([
      { at: NOW, event: 'AUTH_FAILED', signerId: token.signerId, callId: 'CALL', ip: '203.0.113.9', userAgent: 'UA' },
    ]);
  });

  it('records the first MAX_RECORDED_FAILED_PROOFS of a request in its history, then only counts', () => {
    const { request, token } = withProof({}, { failedProofs: 0, failedProofsTotal: 40 });
    const entries = (count: number) =>
      Array.from({ length: count }, () => ({ at: NOW, event: 'AUTH_FAILED' as const, signerId: token.signerId }));
    const belowCap = { ...request, history: [...request.history, ...entries(MAX_RECORDED_FAILED_PROOFS - 1)] };
    expect(planFailedProof(belowCap, token, NOW).history.map((entry) => entry.event)).toEqual(['AUTH_FAILED']);
    const atCap = { ...request, history: [...request.history, ...entries(MAX_RECORDED_FAILED_PROOFS)] };
    const plan = planFailedProof(atCap, token, NOW, {}, 'CALL');
    expect(plan.history).toEqual([]);
    expect(plan).toMatchObject({ failedProofs: 1, failedProofsTotal: 41, callId: 'CALL' });
  });

  it('locks for 15 minutes at the fifth in a row', () => {
    const { request, token } = withProof({}, { failedProofs: 4, failedProofsTotal: 4 });
    expect(planFailedProof(request, token, NOW).lockedUntil).toBe(plusMs(NOW, 15 * 60_000));
  });

  it('recalls an open request, as the service, when the total reaches recallAfterFailedProofs; not a completed one', () => {
    const { request, token } = withProof({ recallAfterFailedProofs: 3 }, { failedProofs: 0, failedProofsTotal: 2 });
    const plan = planFailedProof(request, token, NOW);
    expect(plan.recall).toMatchObject({
      by: SERVICE_RECALLER,
      reason: 'Recalled by the service after 3 failed signer proofs',
    });
    expect(plan.history.map((entry) => entry.event)).toEqual(['AUTH_FAILED', 'RECALLED']);
    const completed = withProof(
      { recallAfterFailedProofs: 3, status: 'COMPLETED', signedCount: 2 },
      { failedProofsTotal: 2 },
    );
    expect(planFailedProof(completed.request, completed.token, NOW).recall).toBeUndefined();
    // Past the bound (a total that already passed it, on a request that outlived it) nothing recalls again.
    const past = withProof({ recallAfterFailedProofs: 3 }, { failedProofsTotal: 5 });
    expect(planFailedProof(past.request, past.token, NOW).recall).toBeUndefined();
  });

  it('refuses a locked signer (429) and a recalled request (410) before counting anything', () => {
    const locked = withProof({}, { lockedUntil: plusMs(NOW, 1000) });
    expect(() => planFailedProof(locked.request, locked.token, NOW)).toThrow(
      expect.objectContaining({ code: 'SIGNER_LOCKED' }),
    );
    const recalled = withProof({
      status: 'CANCELLED',
      recall: { reason: 'r', by: 'b', at: plusMs(NOW, -1000) },
    });
    expect(() => planFailedProof(recalled.request, recalled.token, NOW)).toThrow(
      expect.objectContaining({ code: 'SIGN_REQUEST_CANCELLED' }),
    );
  });
});

describe('the certificate names each signer’s proof, their wrong proofs and a recall by the service', () => {
  it('states the proof asked and given, every wrong proof with its address, and who recalled', () => {
    const { request } = freshRequest(2);
    const [coded, plain] = Object.keys(request.signers) as [string, string];
    request.signers[coded] = { ...request.signers[coded]!, proof: { kind: 'ACCESS_CODE', hash: 'secret-hash' } };
    const at = (ms: number) => plusMs('2030-01-01T00:00:00.000Z', ms);
    request.history.push(
      { at: at(1), event: 'AUTH_FAILED', signerId: coded, ip: '203.0.113.7', userAgent: 'Curl/8' },
      { at: at(2), event: 'VIEWED', signerId: coded, proof: 'ACCESS_CODE' },
      { at: at(3), event: 'AUTH_FAILED', signerId: coded, ip: '203.0.113.8' },
      { at: at(4), event: 'RECALLED', by: SERVICE_RECALLER },
    );
    request.status = 'CANCELLED';
    request.recall = {
      reason: 'Recalled by the service after 2 failed signer proofs',
      by: SERVICE_RECALLER,
      at: at(4),
    };
    const facts = requestCertificateFacts(request, 'Acme', at(5));
    expect(facts.signers[0]).toMatchObject({
      proofAsked: 'ACCESS_CODE',
      proofGiven: 'ACCESS_CODE',
      failedProofs: [
        { at: at(1), ip: '203.0.113.7', userAgent: 'Curl/8' },
        { at: at(3), ip: '203.0.113.8' },
      ],
    });
    expect(facts.signers[1]).not.toHaveProperty('proofAsked');
    expect(facts.signers[1]).not.toHaveProperty('failedProofs');
    expect(facts.outcome).toMatchObject({ kind: 'recalled', byService: true });
    const text = JSON.stringify(certificateContent(facts, 'esign-recall'));
    expect(text).toContain('"label":"Proof asked","value":"access code"');
    expect(text).toContain('"label":"Wrong proofs","value":"2"');
    expect(text).toContain(`"label":"Wrong proof 1","value":"${at(1)}, 203.0.113.7, Curl/8"`);
    expect(text).toContain('The service recalled (cancelled) this request after too many wrong signer proofs');
    expect(text).not.toContain('secret-hash');
    expect(plain).not.toBe(coded);
  });
});

describe('accessCodeMatches on stored strings it did not write, and at the bounds of a presented code', () => {
  const partsOf = async (code: string) => (await hashAccessCode(code)).split('$');

  it('matches nothing, and never throws, when a cost parameter is not a positive integer', async () => {
    const parts = await partsOf('Tulip-4471');
    for (const index of [1, 2, 3])
      for (const bad of ['0', 'x', '-1', '1.5']) {
        const stored = parts.map((part, i) => (i === index ? bad : part)).join('$');
        await expect(accessCodeMatches(stored, 'Tulip-4471')).resolves.toBe(false);
      }
  });

  it('matches nothing, and never throws, when the stored key is not 32 bytes long', async () => {
    const parts = await partsOf('Tulip-4471');
    const shortKey = [...parts.slice(0, 5), Buffer.alloc(16, 1).toString('base64url')].join('$');
    await expect(accessCodeMatches(shortKey, 'Tulip-4471')).resolves.toBe(false);
  });

  it('never matches an empty code, nor one longer than 4 times the longest allowed, even if that was hashed', async () => {
    await expect(accessCodeMatches(await hashAccessCode(''), '')).resolves.toBe(false);
    const longest = 'a'.repeat(ACCESS_CODE_MAX_LENGTH * 4);
    await expect(accessCodeMatches(await hashAccessCode(longest), longest)).resolves.toBe(true);
    const tooLong = `${longest}a`;
    await expect(accessCodeMatches(await hashAccessCode(tooLong), tooLong)).resolves.toBe(false);
  });
});

describe('withStoredProofs', () => {
  it("stores an access code's hash, an email proof as named, no proof for the others, and keeps the rest", async () => {
    const stored = await withStoredProofs([
      { name: 'A', email: 'a@example.com', accessCode: 'Tulip-4471' },
      { name: 'B', email: 'b@example.com', verify: 'email' as const },
      { name: 'C', email: 'c@example.com' },
    ]);
    expect(stored.map(({ name, email }) => ({ name, email }))).toEqual([
      { name: 'A', email: 'a@example.com' },
      { name: 'B', email: 'b@example.com' },
      { name: 'C', email: 'c@example.com' },
    ]);
    const [a, b, c] = stored;
    expect(a).not.toHaveProperty('accessCode');
    expect(a?.proof?.kind).toBe('ACCESS_CODE');
    const hash = a?.proof?.kind === 'ACCESS_CODE' ? a.proof.hash : '';
    await expect(accessCodeMatches(hash, 'Tulip-4471')).resolves.toBe(true);
    expect(b).toEqual({ name: 'B', email: 'b@example.com', proof: { kind: 'EMAIL' } });
    expect(c).toEqual({ name: 'C', email: 'c@example.com' });
    expect(Object.keys(c ?? {})).toEqual(['name', 'email']);
  });
});
