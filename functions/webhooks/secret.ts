import { createHmac } from 'node:crypto';

const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * An app's webhook secret is derived, never stored (secrets are kept only as hashes, and a hash
 * cannot sign): HMAC-SHA256(webhook signing key, "webhook." + appId). The admin command derives it to print it once;
 * the deliverer derives it again for every delivery. The "webhook." prefix keeps these inputs apart from the
 * signing-link derivation (`<ulid>.<ulid>`), so no webhook secret can ever equal a signing secret.
 */
export const deriveWebhookSecret = (signingKey: Buffer, appId: string): string =>
  WEBHOOK_SECRET_PREFIX + createHmac('sha256', signingKey).update(`webhook.${appId}`, 'utf8').digest('base64url');
