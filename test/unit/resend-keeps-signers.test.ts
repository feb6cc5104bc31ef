import { describe, expect, it } from 'vitest';
import { replacementOf, resendRecord, type ResendCommand } from '../../functions/core/resend.ts';
import type { SignRequest, StoredDocument } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

// A resend carries each signer's group of the signing order and proof (as stored: a code's hash, never a code),
// the request's recall bound and its document, into the record its claim keeps and the replacement made from it.

const AT = '2030-01-02T00:00:00.000Z';
const secretFor = (signRequestId: string, signerId: string) => `${signRequestId}.${signerId}`.padEnd(43, 'x');
/** A resend that changes nothing: everything comes from the request resent. */
const commandFor = (resent: SignRequest): ResendCommand => ({ signRequestId: resent.id, appId: resent.appId });
const DOCUMENT: StoredDocument = { name: 'Doc.pdf', sha256: 'ab'.repeat(32), size: 10, pages: 1, key: 'k' };

/** A cancelled request whose first signer signs in group 2 with an access code, the second in group 1 by e-mail. */
const resentRequest = (overrides: Partial<SignRequest> = {}): SignRequest => {
  const { request } = freshRequest(2, { status: 'CANCELLED', ...overrides });
  const [first, second] = Object.keys(request.signers) as [string, string];
  return {
    ...request,
    signers: {
      [first]: { ...request.signers[first]!, signingOrder: 2, proof: { kind: 'ACCESS_CODE', hash: 'scrypt$h' } },
      [second]: { ...request.signers[second]!, signingOrder: 1, proof: { kind: 'EMAIL' } },
    },
  };
};

describe('a resend keeps the signers as they were asked to sign', () => {
  it('records each signer’s group and proof, in list order, and the recall bound', () => {
    const resent = resentRequest({ recallAfterFailedProofs: 3 });
    const record = resendRecord(resent, commandFor(resent), 'KAiZEN-2', AT, 'CALL');
    expect(record.signers.map(({ name, signingOrder, proof }) => ({ name, signingOrder, proof }))).toEqual([
      { name: 'S0', signingOrder: 2, proof: { kind: 'ACCESS_CODE', hash: 'scrypt$h' } },
      { name: 'S1', signingOrder: 1, proof: { kind: 'EMAIL' } },
    ]);
    expect(record.recallAfterFailedProofs).toBe(3);
  });

  it('records no group, proof or bound where the request had none', () => {
    const { request } = freshRequest(1, { status: 'CANCELLED' });
    const [only] = Object.keys(request.signers) as [string];
    const { signingOrder: _none, ...signer } = request.signers[only]!;
    const plain: SignRequest = { ...request, signers: { [only]: signer } };
    const record = resendRecord(plain, commandFor(plain), 'KAiZEN-2', AT, 'CALL');
    expect(record.signers[0]).not.toHaveProperty('signingOrder');
    expect(record.signers[0]).not.toHaveProperty('proof');
    expect(record).not.toHaveProperty('recallAfterFailedProofs');
  });

  it('makes the replacement with the same groups, proofs, bound and document', () => {
    const resent = resentRequest({ recallAfterFailedProofs: 4, document: DOCUMENT });
    const record = resendRecord(resent, commandFor(resent), 'KAiZEN-2', AT, 'CALL');
    const replacement = replacementOf(resent, record, secretFor);
    expect(
      record.signers.map(({ signerId }) => [
        replacement.signers[signerId]?.signingOrder,
        replacement.signers[signerId]?.proof,
      ]),
    ).toEqual([
      [2, { kind: 'ACCESS_CODE', hash: 'scrypt$h' }],
      [1, { kind: 'EMAIL' }],
    ]);
    expect(replacement.recallAfterFailedProofs).toBe(4);
    expect(replacement.document).toEqual(DOCUMENT);
    // Group 1 (the second signer) signs first.
    expect(replacement.currentOrder).toBe(1);
    expect(replacement.replaces).toBe(resent.id);
  });

  it('makes a replacement without proof, bound or document when the record has none', () => {
    const { request } = freshRequest(1, { status: 'CANCELLED' });
    const record = resendRecord(request, commandFor(request), 'KAiZEN-2', AT, 'CALL');
    const replacement = replacementOf(request, record, secretFor);
    const [signer] = Object.values(replacement.signers);
    expect(signer).not.toHaveProperty('proof');
    expect(replacement).not.toHaveProperty('recallAfterFailedProofs');
    expect(replacement).not.toHaveProperty('document');
  });
});
