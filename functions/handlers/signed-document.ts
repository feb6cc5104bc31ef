import { refusals } from '../core/errors.ts';
import { SignRequestStatus, statusAt } from '../core/sign-request.ts';
import { ReadInput } from '../contracts/read.ts';
import { signedDocumentFileName } from '../documents/document-keys.ts';
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
 * GET /v1/sign-requests/{signRequestId}/signed-document: a completed request's signed document, the bytes its maker
 * sealed and stored once after completion (workflows/make-signed-document.ts); they hash to the read's
 * `SignedDocument.Sha256`, the answer's ETag. Another app's request reads exactly like a missing one. Completed but
 * not yet made: 409 SIGNED_DOCUMENT_NOT_READY with Retry-After; in any other state, 409 SIGN_REQUEST_NOT_COMPLETED.
 * It only reads the bucket: no PDF library is loaded here.
 */
export const createSignedDocumentHandler = (deps: HttpApiDependencies & DocumentDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'none',
    schema: ReadInput,
    handle: async ({ input, app }) => {
      const request = await ownSignRequest(deps.signRequests, input.signRequestId, app.appId);
      if (request.status !== SignRequestStatus.Completed)
        throw refusals.signRequestNotCompleted(statusAt(request, new Date().toISOString()));
      const record = request.signedDocument;
      if (!record) throw refusals.signedDocumentNotReady();
      const fileHeaders = {
        ...pdfFileHeaders('attachment', signedDocumentFileName(request.documentName)),
        etag: `"${record.sha256}"`,
      };
      const body = await storedPdfBody(
        deps.documents,
        record,
        fileHeaders['content-disposition'],
        `the signed document of sign request ${request.id}`,
      );
      return storedPdfAnswer(body, fileHeaders);
    },
  });

export const handler = await lambdaHandler(() =>
  createSignedDocumentHandler({ ...sharedHttpApiDependencies(), ...documentDependencies(readEnvironment()) }),
);
