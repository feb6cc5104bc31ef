import { isIP } from 'node:net';

const MAX_WEBHOOK_URL_LENGTH = 2048;

/** The only plain-HTTP hosts ever allowed, and only when ALLOW_HTTP_WEBHOOKS=true (npm start and the tests). */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

export interface WebhookUrlPolicy {
  /** http://localhost and http://127.0.0.1 accepted: for a developer's receiver on their own machine. */
  allowHttpLocalhost: boolean;
}

export type WebhookUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Hosts a webhook must never name in AWS. This is server-side request forgery (SSRF) protection: the deliverer
 * POSTs wherever an app points it, from inside our account. Its own loopback hosts the Lambda Runtime API
 * (127.0.0.1:9001, which accepts invocation results over plain HTTP), and private and link-local addresses
 * are where internal services and metadata endpoints live. Refusing these names and literal addresses is the
 * first guard; https is the second: a public name that resolves to one of them still gets no request through,
 * because those endpoints speak plain HTTP and the TLS handshake fails before anything is sent.
 */
export const isInternalHost = (hostname: string): boolean => {
  // A trailing dot names the same host ("localhost." is localhost); URL parsing has already turned decimal,
  // octal and hex IPv4 forms into dotted quads and compressed IPv6.
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) {
    const [a = 0, b = 0, c = 0] = host.split('.').map(Number);
    return (
      a === 0 || // "this network"
      a === 10 ||
      a === 127 ||
      a >= 224 || // multicast, reserved, broadcast
      (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
      (a === 169 && b === 254) || // link-local, instance metadata
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, documentation
      (a === 198 && (b === 18 || b === 19)) || // benchmarking
      (a === 198 && b === 51 && c === 100) ||
      (a === 203 && b === 0 && c === 113)
    );
  }
  if (isIP(host) === 6) {
    // Only global unicast (2000::/3) is public; everything else (loopback, IPv4-mapped or -embedded forms such
    // as ::ffff:a.b.c.d or 64:ff9b::, unique-local, site- and link-local, multicast) is refused. Within 2000::/3,
    // documentation (2001:db8::/32) and 6to4 (2002::/16, which embeds an IPv4 address) are refused too.
    const first = Number.parseInt(host.split(':')[0] || '0', 16);
    const globalUnicast = first >= 0x2000 && first <= 0x3fff;
    return !globalUnicast || host.startsWith('2001:db8:') || host.startsWith('2002:');
  }
  return false;
};

/** Checks a URL an app registers (and the deliverer re-checks before each POST, in case the rules tightened). */
export const checkWebhookUrl = (raw: string, policy: WebhookUrlPolicy): WebhookUrlCheck => {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH)
    return { ok: false, reason: `the URL must be at most ${MAX_WEBHOOK_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid absolute URL' };
  }
  // Credentials in a URL would be stored and logged in plain text wherever the URL goes.
  if (url.username || url.password) return { ok: false, reason: 'the URL must not carry a user name or password' };
  const localHttp = url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname);
  if (localHttp && policy.allowHttpLocalhost) return { ok: true, url: url.href };
  if (url.protocol !== 'https:')
    return {
      ok: false,
      reason: policy.allowHttpLocalhost
        ? 'the URL must use https (or http on localhost / 127.0.0.1)'
        : 'the URL must use https',
    };
  if (isInternalHost(url.hostname) && !policy.allowHttpLocalhost)
    return { ok: false, reason: 'the URL must name a public host, not a loopback, private or link-local one' };
  return { ok: true, url: url.href };
};

/**
 * ALLOW_HTTP_WEBHOOKS=true relaxes the rules for local development only. A function in AWS refuses to start
 * with it, so a copied environment can never open the SSRF hole described above.
 */
export const webhookUrlPolicyFrom = (env: NodeJS.ProcessEnv): WebhookUrlPolicy => {
  const allowHttpLocalhost = env.ALLOW_HTTP_WEBHOOKS === 'true';
  if (allowHttpLocalhost && env.AWS_LAMBDA_FUNCTION_NAME)
    throw new Error('Invalid configuration: ALLOW_HTTP_WEBHOOKS is for local development and never set in AWS');
  return { allowHttpLocalhost };
};
