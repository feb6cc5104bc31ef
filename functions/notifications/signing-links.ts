import type { SecretFor } from '../core/initiate.ts';
import { formatSigningToken } from '../core/signing-token.ts';
import type { LinkFor } from './mail-content.ts';

/**
 * Signing links for mail: derived again from the link signing key (nothing stores a link), under the configured
 * base URL (SIGNING_BASE_URL), never one taken from a request's Host header, so no caller can make the service
 * mail a link to another host.
 */
export const signingLinks =
  (secretFor: SecretFor, baseUrl: string): LinkFor =>
  (signRequestId, signerId) =>
    `${baseUrl}/v1/signing/${formatSigningToken({ signRequestId, signerId, secret: secretFor(signRequestId, signerId) })}`;
