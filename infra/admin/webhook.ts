import { sha256Hex } from '../../functions/core/signing-token.ts';
import { SigningKeySettings } from '../../functions/signing-key.ts';
import type { AdminDependencies } from '../../functions/wiring/admin.ts';
import type { Environment } from '../../functions/runtime/environment.ts';
import { signingKeyFrom } from '../../functions/wiring/signing-keys.ts';
import { deriveWebhookSecret } from '../../functions/webhooks/secret.ts';
import { checkWebhookUrl, webhookUrlPolicyFrom } from '../../functions/webhooks/webhook-url.ts';
import { readKeptKey } from '../local/kept-keys.ts';

export type WebhookRegistrationOutcome =
  | { ok: true; printed: { AppId: string; WebhookUrl: string; WebhookSecret: string } }
  | { ok: false; kind: 'unknown-token' | 'invalid-url'; message: string };

/**
 * The webhook signing key the deliverer will derive the secret from: WEBHOOK_SIGNING_KEY_SECRET_ARN for a stage
 * in AWS, WEBHOOK_SIGNING_KEY if set, else the key `npm start` keeps under DATA_DIR, so a secret printed here
 * matches the signatures the local server sends.
 */
const webhookKeyFor = async (env: Environment): Promise<Buffer> => {
  const { key, secretArn } = SigningKeySettings.webhook;
  if (!env[key] && !env[secretArn]) {
    const kept = await readKeptKey(env.DATA_DIR ?? '.data', 'webhook');
    if (kept) return signingKeyFrom('webhook', { [key]: kept });
  }
  return signingKeyFrom('webhook', env);
};

/**
 * Registers or replaces the webhook of the app a token names, and returns what to print once. Only the URL is
 * stored; the secret is derived, so running the command again prints the same secret.
 */
export const registerWebhook = async (
  { appStore, webhooks }: Pick<AdminDependencies, 'appStore' | 'webhooks'>,
  token: string,
  rawUrl: string,
  env: Environment,
): Promise<WebhookRegistrationOutcome> => {
  const url = checkWebhookUrl(rawUrl, webhookUrlPolicyFrom(env));
  if (!url.ok) return { ok: false, kind: 'invalid-url', message: `Invalid webhook URL: ${url.reason}` };
  const app = await appStore.findByTokenHash(sha256Hex(token));
  if (!app) return { ok: false, kind: 'unknown-token', message: 'No such app token' };
  const webhookKey = await webhookKeyFor(env);
  const registration = await webhooks.register(app.appId, url.url, new Date().toISOString());
  return {
    ok: true,
    printed: {
      AppId: app.appId,
      WebhookUrl: registration.url,
      WebhookSecret: deriveWebhookSecret(webhookKey, app.appId),
    },
  };
};
