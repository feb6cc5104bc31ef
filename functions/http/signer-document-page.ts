import type { SignerDocument } from '../core/signer-document.ts';
import { parseSigningToken, type SigningToken } from '../core/signing-token.ts';
import type { SignerDocumentAnswer } from '../workflows/signer-document.ts';
import { prefersHtml } from './accept.ts';
import { pdfFileHeaders } from './content-disposition.ts';
import { fileResponse } from './envelope.ts';
import { statusOfKind } from './error-response.ts';
import { pageFailure, pageResponse, type PageResult } from './page-route.ts';
import type { PageRoute } from './route.ts';
import { linkNotFound, linkReplaced, proofStep } from './signing-page-route.ts';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { renderMessagePage, renderStatePage, SIGNING_PAGE_HEADERS } from './signing-page.ts';

/**
 * The headers of the document a signer opens from their link: the signing page's own (its Content-Security-Policy,
 * no referrer, no framing: the URL holds the signer's token), then the PDF's (inline, its file name, no-store,
 * nosniff), and its SHA-256 as the ETag.
 */
export const signerDocumentHeaders = (document: SignerDocument): Record<string, string> => {
  const { 'content-type': _html, ...pageHeaders } = SIGNING_PAGE_HEADERS;
  return { ...pageHeaders, ...pdfFileHeaders('inline', document.fileName), etag: `"${document.sha256}"` };
};

/** A refusal of the document as a person reads it: the request's state in the page's very words. */
const refusalPage = (answer: Extract<SignerDocumentAnswer, { ok: false }>, token: SigningToken): PageResult => {
  const { refusal, request, now } = answer;
  const statusCode = statusOfKind(refusal.kind);
  const message = refusal.rules[0]?.Message ?? refusal.code;
  // Without the signer's proof (or pass), only the proof step: its forms post beside this URL (<link>/document).
  const asksProof = proofStep(request, token, refusal, '');
  if (asksProof) return asksProof;
  switch (refusal.code) {
    case 'SIGNING_LINK_NOT_FOUND':
      return linkNotFound();
    case 'SIGNING_LINK_REPLACED':
      return linkReplaced();
    case 'DOCUMENT_NOT_FOUND':
      return {
        statusCode,
        code: refusal.code,
        html: renderMessagePage('This request carries no document', 'The sender sent only its name to sign.'),
      };
    case 'SIGNED_DOCUMENT_NOT_READY':
      return {
        statusCode,
        code: refusal.code,
        html: renderMessagePage('The signed document is being prepared', message),
        ...(refusal.retryAfterSeconds !== undefined ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
      };
    default:
      // Recalled, declined, expired: the state as the signing page shows it.
      return {
        statusCode,
        code: refusal.code,
        html: request ? renderStatePage(request, token.signerId, now) : renderMessagePage('This did not work', message),
      };
  }
};

/**
 * The document route's answer to a browser (Accept prefers HTML, as when the signer follows the page's link): the
 * PDF itself when it can be opened, exactly as an API client gets it; otherwise a page in the signing page's
 * words, at the status the envelope would have.
 */
export const signerDocumentPage = (
  open: (token: SigningToken, event: APIGatewayProxyEventV2) => Promise<SignerDocumentAnswer>,
): PageRoute => ({
  wanted: (event) => prefersHtml(event.headers?.accept),
  handle: async (event, _maxBodyBytes, requestId) => {
    const token = parseSigningToken(event.pathParameters?.signingToken ?? '');
    const answered = token ? await open(token, event) : undefined;
    if (answered?.ok) {
      const { body } = answered;
      if (body.kind === 'redirect') {
        const redirect = {
          statusCode: 303,
          headers: { location: body.location, 'cache-control': 'no-store', 'x-request-id': requestId },
        };
        return { response: redirect, code: 'OK' };
      }
      const response = fileResponse(200, body.bytes);
      response.headers = {
        ...response.headers,
        ...signerDocumentHeaders(answered.document),
        'x-request-id': requestId,
      };
      return { response, code: 'OK' };
    }
    const page = answered && token ? refusalPage(answered, token) : linkNotFound();
    return { response: pageResponse(page, requestId), code: page.code };
  },
  failure: pageFailure,
});
