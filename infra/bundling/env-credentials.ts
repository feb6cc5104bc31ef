import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the deployed bundles (see function-bundling.ts), as the
 * `defaultProvider` every SDK client's runtime config imports. Lambda always hands a function its role's
 * credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, the first link of the SDK's
 * default chain; the rest of the chain (SSO, INI files, process, web identity, container and instance metadata,
 * and the STS and SSO clients they load) can never run there, yet made up ~130 KiB of every bundle.
 *
 * Only bundles get this: `npm start`, the admin CLI, the tests and the bench's in-process runs import the real
 * chain, so a developer's profile or SSO login keeps working.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
