import { deriveSigningSecret } from './core/signing-token.ts';
import type { SecretFor } from './core/initiate.ts';

const MIN_KEY_BYTES = 32;

/**
 * The service's master keys and where a process finds each: the key itself (local runs, tests) or the ARN
 * of the Secrets Manager secret holding it (AWS; infra/constructs/service-keys.ts sets it on the functions
 * that read it). Separate keys, so the internet-facing initiate function never holds the key every app's webhook
 * secret derives from, and the signing, list and webhook functions never hold the link key.
 */
export const SigningKeySettings = {
  /** Signing link secrets derive from it (initiate). */
  link: { key: 'LINK_SIGNING_KEY', secretArn: 'LINK_SIGNING_KEY_SECRET_ARN', name: 'the link signing key' },
  /** Webhook secrets derive from it (the webhook deliverer and `npm run app -- webhook`). */
  webhook: {
    key: 'WEBHOOK_SIGNING_KEY',
    secretArn: 'WEBHOOK_SIGNING_KEY_SECRET_ARN',
    name: 'the webhook signing key',
  },
  /**
   * List cursors are signed with it (the list function alone): a key of its own, so the function that lists
   * holds neither key a link or a webhook secret derives from.
   */
  cursor: { key: 'LIST_CURSOR_KEY', secretArn: 'LIST_CURSOR_KEY_SECRET_ARN', name: 'the list cursor key' },
  /**
   * The signing page's passes are signed with it (the five signing functions alone): a key of its own, so the
   * unauthenticated signing functions never hold the link key every signing link's secret derives from.
   */
  pass: { key: 'SIGNER_PASS_KEY', secretArn: 'SIGNER_PASS_KEY_SECRET_ARN', name: 'the signer pass key' },
} as const;

export type SigningKeyKind = keyof typeof SigningKeySettings;

/** Reads a Secrets Manager secret's value by ARN (functions/wiring/signing-keys.ts binds it to the SDK). */
export type ReadSecret = (secretArn: string) => Promise<unknown>;

/** The key's bytes; the message names where it came from, never its value. */
const decodeSigningKey = (encoded: string, source: string): Buffer => {
  const key = Buffer.from(encoded.trim(), 'base64url');
  if (key.byteLength < MIN_KEY_BYTES)
    throw new Error(`${source} must hold at least ${MIN_KEY_BYTES} bytes, base64url-encoded`);
  return key;
};

/**
 * One of the keys: the key itself if the settings hold it, else the secret their ARN names, read once per
 * container. Losing the link key invalidates no link (links are checked against stored hashes); it only stops
 * replays of initiate from re-issuing links. Changing the webhook key changes every app's webhook secret.
 */
export const loadSigningKey = async (
  kind: SigningKeyKind,
  env: Readonly<Record<string, string | undefined>>,
  readSecret: ReadSecret,
): Promise<Buffer> => {
  const settings = SigningKeySettings[kind];
  const given = env[settings.key];
  if (given) return decodeSigningKey(given, settings.key);
  const secretArn = env[settings.secretArn];
  if (secretArn) {
    const secret = await readSecret(secretArn);
    if (typeof secret !== 'string') throw new Error(`the secret holding ${settings.name} must be a string`);
    return decodeSigningKey(secret, `the secret holding ${settings.name}`);
  }
  throw new Error(`Invalid configuration: set ${settings.key} (local) or ${settings.secretArn} (AWS)`);
};

export const signingSecrets =
  (linkKey: Buffer): SecretFor =>
  (signRequestId, signerId) =>
    deriveSigningSecret(linkKey, signRequestId, signerId);
