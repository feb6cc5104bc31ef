import { defineConfig } from 'vitest/config';
import { testEnv } from './test/support/test-env.ts';

/**
 * The unit tests alone, for mutation testing (stryker.config.mjs): Stryker runs them once per mutant, so this
 * config leaves out what they never use — the embedded store of the global setup and the integration and infra
 * projects. The score it yields is what the unit tests alone prove about core/ and workflows/.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    setupFiles: ['test/support/log-guard.ts'],
    env: testEnv,
    testTimeout: 30_000,
  },
});
