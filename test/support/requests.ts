import { randomBytes } from 'node:crypto';
import { newSignRequest } from '../../functions/core/initiate.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { deriveSigningSecret, type SigningToken } from '../../functions/core/signing-token.ts';

/** A request as core/initiate builds it, with its signers' parsed tokens, for tests that need no store. */
export const freshRequest = (
  signerCount = 2,
  overrides: Partial<SignRequest> = {},
): { request: SignRequest; tokens: SigningToken[] } => {
  const key = randomBytes(32);
  const secretFor = (signRequestId: string, signerId: string) => deriveSigningSecret(key, signRequestId, signerId);
  const request = newSignRequest(
    {
      appId: 'APP1',
      documentName: 'Doc.pdf',
      signers: Array.from({ length: signerCount }, (_, i) => ({ name: `S${i}`, email: `s${i}@example.com` })),
    },
    'KAiZEN-1',
    '2030-01-01T00:00:00.000Z',
    secretFor,
  );
  const tokens = Object.keys(request.signers).map((signerId) => ({
    signRequestId: request.id,
    signerId,
    secret: secretFor(request.id, signerId),
  }));
  return { request: { ...request, ...overrides }, tokens };
};
