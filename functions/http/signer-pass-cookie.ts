import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { SIGNER_PASS_SECONDS, signerPassKind } from '../core/signer-pass.ts';
import type { SignerCredentials } from '../workflows/signer-proof.ts';

/** The cookie the signing page keeps a signer's pass in (core/signer-pass.ts), scoped to the link's own path. */
const SIGNER_PASS_COOKIE = 'signer_pass';

/** The link's path, which the cookie is scoped to: `/v1/signing/<token>` (and what lies below it: the forms). */
export const linkPathOf = (event: APIGatewayProxyEventV2): string =>
  event.rawPath.replace(/\/(proof|sign|decline|document|code)\/?$/, '').replace(/\/$/, '');

/**
 * The Set-Cookie of a pass: only the browser sends it back (HttpOnly), only over HTTPS (Secure), never from
 * another site's page or form (SameSite=Strict), only to this link, for the pass's lifetime.
 */
export const passCookie = (pass: string, linkPath: string): string =>
  `${SIGNER_PASS_COOKIE}=${pass}; Max-Age=${SIGNER_PASS_SECONDS}; Path=${linkPath}; HttpOnly; Secure; SameSite=Strict`;

/** The pass the browser sent, from payload 2.0's `cookies` (or a Cookie header, as a proxy may leave it). */
const passOf = (event: APIGatewayProxyEventV2): string | undefined => {
  const cookies = event.cookies ?? event.headers.cookie?.split(';') ?? [];
  const prefix = `${SIGNER_PASS_COOKIE}=`;
  return cookies
    .map((cookie) => cookie.trim())
    .find((cookie) => cookie.startsWith(prefix))
    ?.slice(prefix.length);
};

/**
 * What the page's browser shows for the signer: its pass, checked with the pass key against the request read (the
 * key is read only when a pass is there to check).
 */
export const pageCredentials = async (
  event: APIGatewayProxyEventV2,
  passKeyOf: () => Promise<Buffer>,
): Promise<SignerCredentials> => {
  const pass = passOf(event);
  if (pass === undefined) return {};
  const passKey = await passKeyOf();
  return {
    pass: (request, signerId, signer, now) => signerPassKind(passKey, pass, request, signerId, signer, now),
  };
};
