import { signerPassKey } from '../core/signer-pass.ts';
import type { Environment } from '../runtime/environment.ts';
import { signingKeyFrom } from './signing-keys.ts';

/**
 * The signing page's pass key (core/signer-pass.ts), derived from the link signing key. Read once per container,
 * and only when first needed (a browser shows or earns a pass): the links' API clients and signers with no proof
 * never cost the signing functions a read of the secret.
 */
export interface SignerPassDependencies {
  signerPassKey: () => Promise<Buffer>;
}

export const signerPassDependencies = (env: Environment): SignerPassDependencies => {
  let loading: Promise<Buffer> | undefined;
  return {
    signerPassKey: () => {
      loading ??= signingKeyFrom('link', env).then(signerPassKey);
      // A failed read is tried again by the next call, not remembered.
      loading.catch(() => (loading = undefined));
      return loading;
    },
  };
};
