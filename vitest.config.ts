import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/per-file-table.ts', 'test/support/log-guard.ts'],
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
      // Every log line is written and checked for secrets (test/support/log-guard.ts), not printed.
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      // A fixed test key: signing links are derived from it (functions/signing-key.ts).
      SIGNING_KEY: 'dGVzdC1zaWduaW5nLWtleS10ZXN0LXNpZ25pbmcta2V5LTMyYg',
    },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
