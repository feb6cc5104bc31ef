import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadSigningKey, type ReadSecret, type SigningKeyKind } from '../signing-key.ts';
import { boundedAwsClientConfig } from './aws-call-limits.ts';
import type { Environment } from './environment.ts';

/**
 * Secrets Manager through Powertools, on a client whose calls end (aws-call-limits.ts): Powertools' own
 * default client has no timeout, so a hung Secrets Manager would hold the cold start until Lambda gives up.
 * Both are loaded and built only when a secret is read: a process given the key itself (npm start, the tests)
 * never evaluates them.
 */
export const secretsManagerReader =
  (client?: SecretsManagerClient): ReadSecret =>
  async (secretArn) => {
    const [{ SecretsProvider }, { SecretsManagerClient: Client }] = await Promise.all([
      import('@aws-lambda-powertools/parameters/secrets'),
      import('@aws-sdk/client-secrets-manager'),
    ]);
    return new SecretsProvider({ awsSdkV3Client: client ?? new Client(boundedAwsClientConfig()) }).get(secretArn);
  };

/** The link key (initiate) or the webhook key (the deliverer, the admin command), from this process's settings. */
export const signingKeyFrom = (
  kind: SigningKeyKind,
  env: Environment,
  readSecret: ReadSecret = secretsManagerReader(),
): Promise<Buffer> => loadSigningKey(kind, env, readSecret);
