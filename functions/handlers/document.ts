import { refusals } from '../core/errors.ts';
import { ReadInput } from '../contracts/read.ts';
import { pdfFileHeaders } from '../http/content-disposition.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { documentDependencies, type DocumentDependencies } from '../wiring/documents.ts';
import { sharedHttpApiDependencies, type HttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { ownSignRequest } from '../workflows/own-request.ts';

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
      const bytes = await deps.documents.read(request.document.key);
      // The object is put before the request's item is created and never removed while the request exists.
      if (!bytes) throw new Error(`the document of sign request ${request.id} is missing from the bucket`);
      return {
        statusCode: 200,
        data: true,
        file: bytes,
        headers: { ...pdfFileHeaders('inline', request.document.name), etag: `"${request.document.sha256}"` },
      };
    },
  });

export const handler = await lambdaHandler(() =>
  createDocumentHandler({ ...sharedHttpApiDependencies(), ...documentDependencies(readEnvironment()) }),
);
