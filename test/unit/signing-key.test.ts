import { describe, expect, it } from 'vitest';
import { loadSigningKey, type ReadSecret } from '../../functions/signing-key.ts';

const LINK = Buffer.alloc(32, 1).toString('base64url');
const WEBHOOK = Buffer.alloc(32, 2).toString('base64url');
const LINK_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:link-AbCdEf';
const WEBHOOK_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:webhook-GhIjKl';

/** Secrets Manager as two secrets by ARN, recording which were read. */
const secretsById = (secrets: Record<string, string>) => {
  const read: string[] = [];
  const readSecret: ReadSecret = (arn) => {
    read.push(arn);
    return Promise.resolve(secrets[arn]);
  };
  return { readSecret, read };
};
const noSecrets: ReadSecret = () => Promise.reject(new Error('no secret may be read here'));

const messageOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );

describe('the two signing keys', () => {
  it('reads each key from its own setting locally, never the other one', async () => {
    const env = { LINK_SIGNING_KEY: LINK, WEBHOOK_SIGNING_KEY: WEBHOOK };
    expect(await loadSigningKey('link', env, noSecrets)).toEqual(Buffer.alloc(32, 1));
    expect(await loadSigningKey('webhook', env, noSecrets)).toEqual(Buffer.alloc(32, 2));
    // A process given only the link key (initiate) cannot come by the webhook key, and the other way round.
    expect(await messageOf(loadSigningKey('webhook', { LINK_SIGNING_KEY: LINK }, noSecrets))).toBe(
      'Invalid configuration: set WEBHOOK_SIGNING_KEY (local) or WEBHOOK_SIGNING_KEY_SECRET_ARN (AWS)',
    );
    expect(await messageOf(loadSigningKey('link', { WEBHOOK_SIGNING_KEY: WEBHOOK }, noSecrets))).toBe(
      'Invalid configuration: set LINK_SIGNING_KEY (local) or LINK_SIGNING_KEY_SECRET_ARN (AWS)',
    );
  });

  it('reads each key from the secret its own ARN setting names in AWS', async () => {
    const secrets = secretsById({ [LINK_ARN]: LINK, [WEBHOOK_ARN]: WEBHOOK });
    const env = { LINK_SIGNING_KEY_SECRET_ARN: LINK_ARN, WEBHOOK_SIGNING_KEY_SECRET_ARN: WEBHOOK_ARN };
    expect(await loadSigningKey('webhook', env, secrets.readSecret)).toEqual(Buffer.alloc(32, 2));
    expect(await loadSigningKey('link', env, secrets.readSecret)).toEqual(Buffer.alloc(32, 1));
    expect(secrets.read).toEqual([WEBHOOK_ARN, LINK_ARN]);
  });

  it('uses the key itself over the secret, so a local run never calls AWS', async () => {
    const env = { LINK_SIGNING_KEY: LINK, LINK_SIGNING_KEY_SECRET_ARN: LINK_ARN };
    expect(await loadSigningKey('link', env, noSecrets)).toEqual(Buffer.alloc(32, 1));
  });

  it('refuses a short key, or a secret that is not a string, without showing the value', async () => {
    const short = Buffer.alloc(16, 7).toString('base64url');
    const message = await messageOf(loadSigningKey('link', { LINK_SIGNING_KEY: short }, noSecrets));
    expect(message).toBe('LINK_SIGNING_KEY must hold at least 32 bytes, base64url-encoded');
    const binary = secretsById({});
    const notString: ReadSecret = (arn) => binary.readSecret(arn).then(() => new Uint8Array(32));
    expect(await messageOf(loadSigningKey('webhook', { WEBHOOK_SIGNING_KEY_SECRET_ARN: WEBHOOK_ARN }, notString))).toBe(
      'the secret holding the webhook signing key must be a string',
    );
  });
});
