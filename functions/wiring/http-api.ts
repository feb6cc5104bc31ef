import type { Logger } from '@aws-lambda-powertools/logger';
import type { HttpRuntime } from '../http/route.ts';
import { createLogger } from '../logger.ts';
import { AppRateLimiter } from '../core/app-rate-limiter.ts';
import { AppRateStore } from '../store/app-rates.ts';
import { AppTokenCache } from '../store/app-token-cache.ts';
import { AppStore } from '../store/apps.ts';
import { MailCapStore } from '../store/mail-cap.ts';
import { SignRequestStore } from '../store/sign-requests.ts';
import { readEnvironment, type Environment } from '../runtime/environment.ts';
import { openStore, type StoreAccess } from './store-access.ts';

/** What every HTTP API function (initiate, recall, read, signing view, sign) is built from. */
export interface HttpApiDependencies extends StoreAccess, HttpRuntime {
  logger: Logger;
  appStore: AppStore;
  signRequests: SignRequestStore;
  /** Each app's e-mails per day: initiate (invitations) and remind count theirs before they are sent. */
  mailCap: MailCapStore;
}

/** The HTTP API functions' dependencies, on `store` when given (the local server shares one), else their own. */
export const httpApiDependencies = (env: Environment, store: StoreAccess = openStore(env)): HttpApiDependencies => {
  const appStore = new AppStore(store.documentClient, store.config.tableName);
  return {
    ...store,
    logger: createLogger(env),
    maxBodyBytes: store.config.maxBodyBytes,
    appStore,
    signRequests: new SignRequestStore(store.documentClient, store.config.tableName),
    mailCap: new MailCapStore(store.documentClient, store.config.tableName, store.config.mailDailyCap),
    appTokens: new AppTokenCache((hash) => appStore.findTokenHolder(hash), store.config.appTokenCacheTtlMs),
    // One per set of dependencies, so one per container: the state of the tokens it has leased.
    rateLimiter: new AppRateLimiter(new AppRateStore(store.documentClient, store.config.tableName), {
      defaults: store.config.appRate,
      leaseMs: store.config.appRateLeaseMs,
    }),
  };
};

let shared: HttpApiDependencies | undefined;

/**
 * This process's HTTP API dependencies, built from its environment on first use and kept: what a Lambda
 * container's `handler` runs on, and what a test or the bench in the same process observes (one client, one
 * token cache), as they would observe the functions in one container.
 */
export const sharedHttpApiDependencies = (): HttpApiDependencies => (shared ??= httpApiDependencies(readEnvironment()));
