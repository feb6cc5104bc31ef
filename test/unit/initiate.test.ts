import { describe, expect, it } from 'vitest';
import { newSignRequest, type InitiateCommand } from '../../functions/core/initiate.ts';
import { isUlid } from '../../functions/core/ids.ts';
import { sha256Hex } from '../../functions/core/signing-token.ts';

const NOW = '2030-03-01T09:30:00.000Z';
const secretFor = (signRequestId: string, signerId: string) => `secret:${signRequestId}:${signerId}`;
const command: InitiateCommand = {
  appId: 'APP1',
  documentName: 'Lease.pdf',
  signers: [
    { name: 'Ann', email: 'ann@example.com' },
    { name: 'Bob', email: 'bob@example.com' },
  ],
};

describe('newSignRequest', () => {
  it('makes an open request at version 1 whose signers keep only the hash of their secret, in the given order', () => {
    const request = newSignRequest(command, 'KAiZEN-7', NOW, secretFor, 'REQ1', ['S1', 'S2']);
    expect(request).toEqual({
      id: 'REQ1',
      appId: 'APP1',
      requestNo: 'KAiZEN-7',
      status: 'PENDING',
      documentName: 'Lease.pdf',
      signers: {
        S1: {
          name: 'Ann',
          email: 'ann@example.com',
          order: 0,
          signingOrder: 1,
          status: 'PENDING',
          tokenHash: sha256Hex(secretFor('REQ1', 'S1')),
        },
        S2: {
          name: 'Bob',
          email: 'bob@example.com',
          order: 1,
          signingOrder: 1,
          status: 'PENDING',
          tokenHash: sha256Hex(secretFor('REQ1', 'S2')),
        },
      },
      signerCount: 2,
      signedCount: 0,
      // No order given: one group, everyone's turn at once, as before signing order existed.
      currentOrder: 1,
      currentGroupPending: 2,
      history: [{ at: NOW, event: 'CREATED' }],
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('draws a distinct ULID for the request and for each signer when none are given', () => {
    const request = newSignRequest(command, 'KAiZEN-7', NOW, secretFor);
    const ids = [request.id, ...Object.keys(request.signers)];
    expect(ids.every(isUlid)).toBe(true);
    expect(new Set(ids).size).toBe(3);
  });

  it('keeps every option given, and who asked on the CREATED entry too', () => {
    const request = newSignRequest(
      {
        ...command,
        message: 'Please sign',
        requestedBy: 'Ops',
        expiresAt: '2030-04-01T00:00:00.000Z',
        senderEmail: 'ops@example.com',
        sendInvitations: false,
        remindEveryDays: 3,
      },
      'KAiZEN-8',
      NOW,
      secretFor,
    );
    expect(request).toMatchObject({
      message: 'Please sign',
      requestedBy: 'Ops',
      expiresAt: '2030-04-01T00:00:00.000Z',
      senderEmail: 'ops@example.com',
      sendInvitations: false,
      remindEveryDays: 3,
      // Three days after it was made, to the millisecond.
      nextReminderAt: '2030-03-04T09:30:00.000Z',
      history: [{ at: NOW, event: 'CREATED', by: 'Ops' }],
    });
  });

  it('stores no option that was not given, and sendInvitations only when it is false', () => {
    for (const sendInvitations of [undefined, true]) {
      const request = newSignRequest(
        { ...command, ...(sendInvitations ? { sendInvitations } : {}) },
        'N-1',
        NOW,
        secretFor,
      );
      for (const absent of [
        'message',
        'requestedBy',
        'expiresAt',
        'senderEmail',
        'sendInvitations',
        'remindEveryDays',
        'nextReminderAt',
      ])
        expect(request).not.toHaveProperty(absent);
      expect(request.history[0]).not.toHaveProperty('by');
    }
  });
});
