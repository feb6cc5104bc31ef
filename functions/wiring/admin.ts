import { AppStore } from '../store/apps.ts';
import { WebhookStore } from '../store/webhooks.ts';
import type { Environment } from '../runtime/environment.ts';
import { openStore, type StoreAccess } from './store-access.ts';

/** What the admin command (`npm run app`) changes: apps and their tokens, and each app's webhook. */
export interface AdminDependencies extends StoreAccess {
  appStore: AppStore;
  webhooks: WebhookStore;
}

export const adminDependencies = (env: Environment, store: StoreAccess = openStore(env)): AdminDependencies => ({
  ...store,
  appStore: new AppStore(store.documentClient, store.config.tableName),
  webhooks: new WebhookStore(store.documentClient, store.config.tableName),
});
