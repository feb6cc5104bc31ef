import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { sharedHttpApiDependencies } from '../functions/wiring/http-api.ts';

/** Registers the run's app as `npm run app -- create` would, and hands back its id and token. */
export const registerBenchApp = async (): Promise<{ appId: string; token: string }> => {
  const app = { appId: ulid(), appName: 'Bench App' };
  const token = `esr_${randomBytes(24).toString('base64url')}`;
  await sharedHttpApiDependencies().appStore.register(app, token, new Date().toISOString());
  return { appId: app.appId, token };
};
