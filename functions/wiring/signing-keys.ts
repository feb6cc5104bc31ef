import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadSigningKey, type ReadSecret, type SigningKeyKind } from '../signing-key.ts';
import { boundedAwsClientConfig } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';

/**
 * One GetSecretValue, on a client whose calls end (aws-call-limits.ts): a key is read once per container, at
 * its start, so nothing of a parameters cache is needed. The client is loaded and built only when a secret is
 * read: a process given the key itself (npm start, the tests) never evaluates it.
 */
export const secretsManagerReader =
  (client?: SecretsManagerClient): ReadSecret =>
  async (secretArn) => {
    const { GetSecretValueCommand, SecretsManagerClient: Client } = await import('@aws-sdk/client-secrets-manager');
    const reader = client ?? new Client(boundedAwsClientConfig());
    const { SecretString } = await reader.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return SecretString;
  };

/**
 * The link key (initiate, resend, edit-signer, the mailer), the cursor key (list), the pass key (the signing
 * functions) or the webhook key (the deliverer, the admin command), from this process's settings.
 */
export const signingKeyFrom = (
  kind: SigningKeyKind,
  env: Environment,
  readSecret: ReadSecret = secretsManagerReader(),
): Promise<Buffer> => loadSigningKey(kind, env, readSecret);
