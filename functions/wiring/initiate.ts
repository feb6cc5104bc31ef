import { InitiateClaimStore } from '../store/initiate-claims.ts';
import type { SecretFor } from '../core/initiate.ts';
import { signingSecrets } from '../signing-key.ts';
import type { Environment } from '../runtime/environment.ts';
import type { HttpApiDependencies } from './http-api.ts';
import { signingKeyFrom } from './signing-keys.ts';

/** Initiate also derives each signer's secret from the link signing key; no other HTTP function loads a key. */
export interface InitiateFunctionDependencies extends HttpApiDependencies {
  secretFor: SecretFor;
  initiateClaims: InitiateClaimStore;
}

export const initiateDependencies = async (
  env: Environment,
  base: HttpApiDependencies,
): Promise<InitiateFunctionDependencies> => ({
  ...base,
  secretFor: signingSecrets(await signingKeyFrom('link', env)),
  initiateClaims: new InitiateClaimStore(base.documentClient, base.config.tableName),
});
