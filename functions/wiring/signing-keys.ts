import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadSigningKey, type ReadSecret, type SigningKeyKind } from '../signing-key.ts';
import { boundedAwsClientConfig } from './aws-call-limits.ts';
import type { Environment } from './environment.ts';

/**
 * Secrets Manager through Powertools, on a client whose calls end (aws-call-limits.ts): Powertools' own
 * default client has no timeout, so a hung Secrets Manager would hold the cold start until Lambda gives up.
 * The client is built only when a secret is read: a process given the key itself never builds one.
 */
export const secretsManagerReader =
  (client?: SecretsManagerClient): ReadSecret =>
  (secretArn) =>
    new SecretsProvider({
      awsSdkV3Client: client ?? new SecretsManagerClient(boundedAwsClientConfig()),
    }).get(secretArn);

/** The link key (initiate) or the webhook key (the deliverer, the admin command), from this process's settings. */
export const signingKeyFrom = (
  kind: SigningKeyKind,
  env: Environment,
  readSecret: ReadSecret = secretsManagerReader(),
): Promise<Buffer> => loadSigningKey(kind, env, readSecret);
