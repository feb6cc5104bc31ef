import { DomainError } from '../core/errors.ts';
import { parseSigningToken, type SigningToken } from '../core/signing-token.ts';
import { SigningCodeInput } from '../contracts/signing-code.ts';
import { prefersHtml } from './accept.ts';
import { statusOfKind } from './error-response.ts';
import { pageRoute } from './page-route.ts';
import type { PageRoute } from './route.ts';
import { linkNotFound } from './signing-page-route.ts';
import { renderMessagePage } from './signing-page.ts';
import { validate } from './validation.ts';

const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** The link a code route's path belongs to: `/v1/signing/<token>/code` (or `.../code/`) less its last segment. */
const linkPathOf = (rawPath: string): string => rawPath.replace(/\/code\/?$/, '');

/**
 * The code route for a person's browser (Accept prefers HTML, or the page's own form posts): the code is mailed
 * and the browser is sent back to its link (303), where the page asks for it. A refusal is a short page at its
 * status (a dead link as the link's own 404 page; the hourly limit with its Retry-After), never the envelope.
 */
export const signingCodePage = (send: (token: SigningToken) => Promise<unknown>): PageRoute => {
  const route = pageRoute(async (event, form) => {
    const tokenText = event.pathParameters?.signingToken ?? '';
    const token = parseSigningToken(tokenText);
    if (!token) return linkNotFound();
    try {
      validate(SigningCodeInput, { ...form, signingToken: tokenText });
      await send(token);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
      if (error.kind === 'not-found') return linkNotFound();
      return {
        statusCode: statusOfKind(error.kind),
        html: renderMessagePage('No code was sent', error.rules[0]?.Message ?? error.code),
        code: error.code,
        ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
      };
    }
    return {
      statusCode: 303,
      headers: { location: linkPathOf(event.rawPath) },
      html: renderMessagePage('A code is on its way', 'Check your e-mail, then type the code on the signing page.'),
      code: 'OK',
    };
  });
  return {
    ...route,
    wanted: (event) => prefersHtml(event.headers?.accept) || FORM.test(event.headers?.['content-type'] ?? ''),
  };
};
