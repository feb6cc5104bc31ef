import { describe, expect, it } from 'vitest';
import { signersInOrder, statusAt, timeAfterLastChange } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-02T00:00:00.000Z';

describe('statusAt: the status a reader sees', () => {
  it('is EXPIRED for an open request at or past its deadline, before the expiry job has stored it', () => {
    for (const status of ['PENDING', 'PARTIALLY_SIGNED'] as const) {
      const { request } = freshRequest(2, { status, signedCount: status === 'PENDING' ? 0 : 1, expiresAt: NOW });
      expect(statusAt(request, NOW)).toBe('EXPIRED');
      expect(statusAt(request, '2030-01-01T23:59:59.999Z')).toBe(status);
    }
  });

  it('leaves closed requests, requests signed by all and requests without a deadline as stored', () => {
    const past = '2029-12-31T00:00:00.000Z';
    for (const status of ['COMPLETED', 'CANCELLED'] as const) {
      expect(statusAt(freshRequest(2, { status, expiresAt: past }).request, NOW)).toBe(status);
    }
    const signedByAll = freshRequest(2, { status: 'PARTIALLY_SIGNED', signedCount: 2, expiresAt: past }).request;
    expect(statusAt(signedByAll, NOW)).toBe('PARTIALLY_SIGNED');
    expect(statusAt(freshRequest(2).request, NOW)).toBe('PENDING');
  });
});

describe('timeAfterLastChange', () => {
  it('is now when the clock is past the last change, and 1 ms after it when the clock is behind', () => {
    const { request } = freshRequest(1, { updatedAt: NOW });
    expect(timeAfterLastChange(request, '2030-01-02T00:00:05.000Z')).toBe('2030-01-02T00:00:05.000Z');
    expect(timeAfterLastChange(request, '2030-01-01T23:59:55.000Z')).toBe('2030-01-02T00:00:00.001Z');
  });
});

describe('signersInOrder', () => {
  it('lists the signers in the order the app gave, whatever order the stored map has', () => {
    const { request } = freshRequest(3);
    const ids = Object.keys(request.signers);
    // The map as a store might hand it back: keys in another order than the signers' positions.
    const shuffled = Object.fromEntries([ids[2]!, ids[0]!, ids[1]!].map((id) => [id, request.signers[id]!]));
    expect(signersInOrder({ ...request, signers: shuffled }).map(([id, signer]) => [id, signer.order])).toEqual([
      [ids[0], 0],
      [ids[1], 1],
      [ids[2], 2],
    ]);
  });
});
