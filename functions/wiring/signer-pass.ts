import type { Environment } from '../runtime/environment.ts';
import { signingKeyFrom } from './signing-keys.ts';

/**
 * The signing page's pass key (core/signer-pass.ts): a key of its own (SIGNER_PASS_KEY), so the signing functions
 * never hold the link key. Read once per container, and only when first needed (a browser shows or earns a pass):
 * the links' API clients and signers with no proof never cost the signing functions a read of the secret.
 */
export interface SignerPassDependencies {
  signerPassKey: () => Promise<Buffer>;
}

export const signerPassDependencies = (env: Environment): SignerPassDependencies => {
  let loading: Promise<Buffer> | undefined;
  return {
    signerPassKey: () => {
      loading ??= signingKeyFrom('pass', env);
      // A failed read is tried again by the next call, not remembered.
      loading.catch(() => (loading = undefined));
      return loading;
    },
  };
};
