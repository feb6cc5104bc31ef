/**
 * The environment every test process gets, shared by vitest.config.ts and the mutation-testing config
 * (vitest.stryker.config.ts), so a unit test sees the same keys under Stryker as under `npm test`.
 */
export const testEnv = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  // Every log line is written and checked for secrets (test/support/log-guard.ts), not printed.
  POWERTOOLS_LOG_LEVEL: 'DEBUG',
  // Fixed test keys (functions/signing-key.ts): signing links derive from the one, webhook secrets from the
  // other. They differ, so a test that derived a secret from the wrong key would fail.
  LINK_SIGNING_KEY: 'dGVzdC1saW5rLXNpZ25pbmcta2V5LXRlc3QtbGluay1zaWduaW5nLWtleQ',
  WEBHOOK_SIGNING_KEY: 'dGVzdC13ZWJob29rLXNpZ25pbmcta2V5LXRlc3Qtd2ViaG9vay1rZXktMzJi',
  // The list function's own key, for its cursors.
  LIST_CURSOR_KEY: 'dGVzdC1saXN0LWN1cnNvci1rZXktdGVzdC1saXN0LWN1cnNvci1rZXktMzJi',
  // The signing functions' own key, for the signing page's passes.
  SIGNER_PASS_KEY: 'dGVzdC1zaWduZXItcGFzcy1rZXktdGVzdC1zaWduZXItcGFzcy1rZXktMzJi',
  // The suite's apps are not what is being limited: a rate no test reaches, and leases that last the whole file,
  // so each app's one lease is its first call's and every count of store calls is the same on every run. The
  // limiter's own tests choose their rates (test/integration/app-rate-*.test.ts, test/unit/app-rate-*.test.ts).
  APP_RATE_PER_SECOND: '100000',
  APP_RATE_BURST: '100000',
  APP_RATE_LEASE_MS: '60000',
};
