import { newSignRequest } from '../../functions/core/initiate.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { parseSigningToken, type SigningToken } from '../../functions/core/signing-token.ts';

/** A request as core/initiate builds it, with its signers' parsed tokens, for tests that need no store. */
export const freshRequest = (
  signerCount = 2,
  overrides: Partial<SignRequest> = {},
): { request: SignRequest; tokens: SigningToken[] } => {
  const created = newSignRequest(
    {
      appId: 'APP1',
      documentName: 'Doc.pdf',
      signers: Array.from({ length: signerCount }, (_, i) => ({ name: `S${i}`, email: `s${i}@example.com` })),
    },
    'KAiZEN-1',
    '2030-01-01T00:00:00.000Z',
  );
  const tokens = Object.values(created.signingTokens).map((raw) => {
    const token = parseSigningToken(raw);
    if (!token) throw new Error(`core issued an unparseable token: ${raw}`);
    return token;
  });
  return { request: { ...created.request, ...overrides }, tokens };
};
