import type { ReadSecret } from '../signing-key.ts';
import type { Environment } from '../runtime/environment.ts';
import type { HttpApiDependencies } from './http-api.ts';
import { sealingKeySource, type SealingKeySource } from './sealing-key.ts';

/** The certificate and verify functions also hold the sealing key, loaded at first use (wiring/sealing-key.ts). */
export interface EvidenceFunctionDependencies extends HttpApiDependencies {
  sealingKey: SealingKeySource;
}

export const evidenceDependencies = (
  env: Environment,
  base: HttpApiDependencies,
  readSecret?: ReadSecret,
): EvidenceFunctionDependencies => ({ ...base, sealingKey: sealingKeySource(env, base.logger, readSecret) });
