import { refusals } from '../core/errors.ts';
import { ReadInput } from '../contracts/read.ts';
import { pdfFileHeaders } from '../http/content-disposition.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { storedPdfAnswer } from '../http/stored-pdf-answer.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { documentDependencies, type DocumentDependencies } from '../wiring/documents.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { ownSignRequest } from '../workflows/own-request.ts';
import { storedPdfBody } from '../workflows/stored-pdf.ts';

/**
 * GET /v1/sign-requests/{signRequestId}/document: the request's original PDF, the very bytes it was given.
 * Another app's request reads exactly like a missing one; a request without a document is DOCUMENT_NOT_FOUND.
 */
export const createDocumentHandler = (deps: HttpApiDependencies & DocumentDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'none',
    schema: ReadInput,
    handle: async ({ input, app }) => {
      const request = await ownSignRequest(deps.signRequests, input.signRequestId, app.appId);
      if (!request.document) throw refusals.documentNotFound();
      const fileHeaders = { ...pdfFileHeaders('inline', request.document.name), etag: `"${request.document.sha256}"` };
      const body = await storedPdfBody(
        deps.documents,
        request.document,
        fileHeaders['content-disposition'],
        `the document of sign request ${request.id}`,
      );
      return storedPdfAnswer(body, fileHeaders);
    },
  });

export const handler = await lambdaHandler(() =>
  createDocumentHandler({ ...sharedHttpApiDependencies(), ...documentDependencies(readEnvironment()) }),
);
