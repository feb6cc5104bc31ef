import { InitiateClaimStore } from '../store/initiate-claims.ts';
import type { SecretFor } from '../core/initiate.ts';
import { loadSigningKey, signingSecrets } from '../signing-key.ts';
import type { Environment } from './environment.ts';
import type { HttpApiDependencies } from './http-api.ts';

/** Initiate also derives each signer's secret from the signing key; no other HTTP function loads the key. */
export interface InitiateFunctionDependencies extends HttpApiDependencies {
  secretFor: SecretFor;
  initiateClaims: InitiateClaimStore;
}

export const initiateDependencies = async (
  env: Environment,
  base: HttpApiDependencies,
): Promise<InitiateFunctionDependencies> => ({
  ...base,
  secretFor: signingSecrets(await loadSigningKey(env)),
  initiateClaims: new InitiateClaimStore(base.documentClient, base.config.tableName),
});
