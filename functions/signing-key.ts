import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { deriveSigningSecret } from './core/signing-token.ts';
import type { SecretFor } from './core/initiate.ts';

const MIN_KEY_BYTES = 32;

const decodeKey = (encoded: string, source: string): Buffer => {
  const key = Buffer.from(encoded.trim(), 'base64url');
  if (key.byteLength < MIN_KEY_BYTES)
    throw new Error(`${source} must hold at least ${MIN_KEY_BYTES} bytes, base64url-encoded`);
  return key;
};

/**
 * The key signing secrets are derived from. In AWS it lives in Secrets Manager (SIGNING_KEY_SECRET_ARN) and
 * is read once per container; locally SIGNING_KEY holds it. Losing it invalidates no link (links are checked
 * against stored hashes); it only stops replays of initiate from re-issuing links.
 */
export const loadSigningKey = async (env: NodeJS.ProcessEnv): Promise<Buffer> => {
  if (env.SIGNING_KEY) return decodeKey(env.SIGNING_KEY, 'SIGNING_KEY');
  if (env.SIGNING_KEY_SECRET_ARN) {
    const secret = await getSecret(env.SIGNING_KEY_SECRET_ARN);
    if (typeof secret !== 'string') throw new Error('the signing key secret must be a string');
    return decodeKey(secret, 'the signing key secret');
  }
  throw new Error('Invalid configuration: set SIGNING_KEY (local) or SIGNING_KEY_SECRET_ARN (AWS)');
};

export const signingSecrets =
  (key: Buffer): SecretFor =>
  (signRequestId, signerId) =>
    deriveSigningSecret(key, signRequestId, signerId);
