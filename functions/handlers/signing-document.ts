import { refusals } from '../core/errors.ts';
import { parseSigningToken, type SigningToken } from '../core/signing-token.ts';
import { SigningViewInput } from '../contracts/signing-view.ts';
import type { SignerDocument } from '../core/signer-document.ts';
import { pdfFileHeaders } from '../http/content-disposition.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { storedPdfAnswer } from '../http/stored-pdf-answer.ts';
import { signerDocumentHeaders, signerDocumentPage } from '../http/signer-document-page.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { documentDependencies, type DocumentDependencies } from '../wiring/documents.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signerPassDependencies, type SignerPassDependencies } from '../wiring/signer-pass.ts';
import { pageCredentials } from '../http/signer-pass-cookie.ts';
import { openSignerDocument } from '../workflows/signer-document.ts';
import type { SignerCredentials } from '../workflows/signer-proof.ts';
import { headerCredentials } from '../http/signer-credentials.ts';

/**
 * GET /v1/signing/{signingToken}/document: the document behind a signer's link. An open request's original, a
 * completed one's signed document (once sealed), as the PDF itself, to API clients and browsers alike; refused
 * as opening the link is (a browser gets the refusal as a page in the signing page's words). Records nothing.
 */
export const createSigningDocumentHandler = (
  deps: HttpApiDependencies & DocumentDependencies & SignerPassDependencies,
): HttpHandler => {
  const contentDispositionOf = (document: SignerDocument) =>
    pdfFileHeaders('inline', document.fileName)['content-disposition'];
  const open = (token: SigningToken, credentials?: SignerCredentials) =>
    openSignerDocument({ ...deps, contentDispositionOf }, token, credentials);
  return httpRoute(deps, {
    auth: 'none',
    body: 'none',
    schema: SigningViewInput,
    handle: async ({ input, event }) => {
      const token = parseSigningToken(input.signingToken);
      if (!token) throw refusals.signingLinkNotFound();
      const answered = await open(token, headerCredentials(event));
      if (!answered.ok) throw answered.refusal;
      return storedPdfAnswer(answered.body, signerDocumentHeaders(answered.document));
    },
    page: signerDocumentPage(async (token, event) => open(token, await pageCredentials(event, deps.signerPassKey))),
  });
};

export const handler = await lambdaHandler(() =>
  createSigningDocumentHandler({
    ...sharedHttpApiDependencies(),
    ...documentDependencies(readEnvironment()),
    ...signerPassDependencies(readEnvironment()),
  }),
);
