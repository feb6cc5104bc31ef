import { describe, expect, it } from 'vitest';
import type { HistoryEntry, SignRequest } from '../../functions/core/sign-request.ts';
import { requestCertificateFacts } from '../../functions/documents/request-certificate-facts.ts';
import { freshRequest } from '../support/requests.ts';

// The certificate's facts from a stored request: what each state makes of it, and the evidence an act may carry
// (address, browser, the document hash shown) read when present and left out when absent or malformed.

const AT = '2030-01-01T00:00:00.000Z';
const LATER = '2030-01-01T01:00:00.000Z';
const SHA = 'ab'.repeat(32);

/** A request's signers by id, in order. */
const idsOf = (request: SignRequest) =>
  Object.entries(request.signers)
    .sort(([, a], [, b]) => a.order - b.order)
    .map(([id]) => id);

/** An entry as it may be stored, fields of any type: the facts read what they find defensively. */
const entry = (fields: Omit<HistoryEntry, 'ip' | 'userAgent'> & Record<string, unknown>): HistoryEntry => fields;

describe('requestCertificateFacts', () => {
  it('states an open request with no document, its signers pending, issued when asked', () => {
    const { request } = freshRequest(2);
    const facts = requestCertificateFacts(request, 'Acme', LATER);
    expect(facts).toMatchObject({
      requestNo: 'KAiZEN-1',
      signRequestId: request.id,
      document: null,
      sender: 'Acme',
      createdAt: AT,
      issuedAt: LATER,
      outcome: { kind: 'open' },
    });
    expect(facts.signers.map((signer) => [signer.name, signer.status])).toEqual([
      ['S0', 'PENDING'],
      ['S1', 'PENDING'],
    ]);
  });

  it('takes the address, browser and document hash of each act when the history holds them', () => {
    const { request } = freshRequest(2);
    const [first, second] = idsOf(request);
    const signed: SignRequest = {
      ...request,
      status: 'CANCELLED',
      signers: {
        ...request.signers,
        [first!]: { ...request.signers[first!]!, status: 'SIGNED', viewedAt: AT, signedAt: AT, signedName: 'S Zero' },
      },
      recall: { reason: 'Wrong fee', by: 'Mohit Bansal', at: LATER },
      history: [
        ...request.history,
        entry({ at: AT, event: 'VIEWED', signerId: first!, ip: '198.51.100.1', userAgent: 'Viewer/1' }),
        entry({
          at: AT,
          event: 'SIGNED',
          signerId: first!,
          ip: '198.51.100.2',
          userAgent: 'Signer/1',
          documentSha256: SHA,
        }),
        // Malformed evidence (not strings) is left out rather than shown.
        entry({ at: AT, event: 'VIEWED', signerId: second!, ip: 42, userAgent: '' }),
        entry({ at: LATER, event: 'RECALLED', by: 'Mohit Bansal', ip: '203.0.113.9', userAgent: 'curl/8' }),
      ],
    };
    (signed as SignRequest & { document: unknown }).document = {
      name: 'MSA.pdf',
      sha256: SHA,
      size: 1234,
      pages: 3,
      key: 'documents/x',
    };
    const facts = requestCertificateFacts(signed, 'Acme', LATER);
    expect(facts.document).toEqual({ name: 'MSA.pdf', sha256: SHA, size: 1234, pages: 3 });
    expect(facts.signers[0]).toEqual({
      name: 'S0',
      email: 's0@example.com',
      status: 'SIGNED',
      typedName: 'S Zero',
      viewedAt: AT,
      signedAt: AT,
      ip: '198.51.100.2',
      userAgent: 'Signer/1',
      documentSha256Shown: SHA,
    });
    expect(facts.signers[1]).toEqual({ name: 'S1', email: 's1@example.com', status: 'PENDING' });
    expect(facts.outcome).toEqual({
      kind: 'recalled',
      by: 'Mohit Bansal',
      at: LATER,
      reason: 'Wrong fee',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
    });
  });

  it('states each signer’s order and when their group was invited, only on a request with more than one group', () => {
    const { request } = freshRequest(3);
    const [a, b, c] = idsOf(request) as [string, string, string];
    const inOrder: SignRequest = {
      ...request,
      signers: {
        [a]: { ...request.signers[a]!, signingOrder: 1, status: 'SIGNED', signedAt: LATER },
        [b]: { ...request.signers[b]!, signingOrder: 2 },
        [c]: { ...request.signers[c]!, signingOrder: 3 },
      },
      currentOrder: 2,
      history: [
        ...request.history,
        entry({ at: LATER, event: 'SIGNED', signerId: a }),
        entry({ at: LATER, event: 'INVITED', signerIds: [b] }),
      ],
    };
    expect(requestCertificateFacts(inOrder, 'Acme', LATER).signers.map((signer) => signer.signingOrder)).toEqual([
      { order: 1, invitedAt: AT },
      { order: 2, invitedAt: LATER },
      { order: 3 },
    ]);
    // Everyone at once: no order to state.
    expect(requestCertificateFacts(request, 'Acme', LATER).signers.map((signer) => signer.signingOrder)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('names the signer who declined, with when and why', () => {
    const { request } = freshRequest(2);
    const [, second] = idsOf(request);
    const declined: SignRequest = {
      ...request,
      status: 'DECLINED',
      decline: { signerId: second!, reason: 'Rate is wrong', at: LATER },
    };
    const facts = requestCertificateFacts(declined, 'Acme', LATER);
    expect(facts.outcome).toEqual({ kind: 'declined', by: 'S1', at: LATER, reason: 'Rate is wrong' });
    expect(facts.signers[1]).toMatchObject({ status: 'DECLINED', declinedAt: LATER, declineReason: 'Rate is wrong' });
  });

  it('reads a completed request as completed when its last signature landed', () => {
    const { request } = freshRequest(1);
    const completed: SignRequest = {
      ...request,
      status: 'COMPLETED',
      history: [...request.history, { at: AT, event: 'SIGNED' }, { at: LATER, event: 'COMPLETED' }],
    };
    expect(requestCertificateFacts(completed, 'Acme', LATER).outcome).toEqual({ kind: 'completed', at: LATER });
  });

  it('reads an open request past its deadline as expired at its deadline, before the expiry job has run', () => {
    const { request } = freshRequest(1, { expiresAt: LATER });
    expect(requestCertificateFacts(request, 'Acme', '2030-01-02T00:00:00.000Z').outcome).toEqual({
      kind: 'expired',
      at: LATER,
    });
    expect(requestCertificateFacts(request, 'Acme', AT).outcome).toEqual({ kind: 'open' });
  });
});
