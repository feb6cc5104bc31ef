import type { SecretFor } from '../core/initiate.ts';

/**
 * An initiate's or resend's input as its Idempotency-Key's records compare it: each signer's access code replaced
 * by a digest keyed with the link signing key (the one these functions hold). The records keep only a fast hash
 * of the input, and a 6-character code under a fast hash, beside the names and addresses it travels with, would
 * fall to a search in moments; under a key the store never sees, it cannot. The same code gives the same digest,
 * so a retry with the same body still replays, and one with another code is still refused as a reused key.
 */
export const withKeyedAccessCodes =
  (secretFor: SecretFor) =>
  <I extends { signers?: readonly { accessCode?: string | undefined }[] | undefined }>(input: I): I =>
    input.signers === undefined
      ? input
      : {
          ...input,
          signers: input.signers.map((signer) =>
            signer.accessCode === undefined
              ? signer
              : // Domain-separated from the signing secrets: no request id is "access-code" (they are ULIDs).
                { ...signer, accessCode: secretFor('access-code', signer.accessCode) },
          ),
        };
