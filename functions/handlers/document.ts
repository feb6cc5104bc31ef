import { MAX_INLINE_DOCUMENT_BYTES } from '../core/document-limits.ts';
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
 * The largest document answered as bytes: an inline one's limit, whose base64 (5.6 MB) stays inside Lambda's
 * 6 MB response. A larger one (uploaded, up to 25 MiB) is answered 303, to a presigned GET of its object.
 */
const MAX_ANSWERED_DOCUMENT_BYTES = MAX_INLINE_DOCUMENT_BYTES;
/** Long enough to follow the redirect and fetch 25 MiB; short, as the URL is a credential. */
const DOWNLOAD_URL_SECONDS = 5 * 60;

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
      const fileHeaders = pdfFileHeaders('inline', request.document.name);
      if (request.document.size > MAX_ANSWERED_DOCUMENT_BYTES) {
        const location = await deps.documents.presignDownload(
          request.document.key,
          { contentType: 'application/pdf', contentDisposition: fileHeaders['content-disposition'] ?? 'inline' },
          DOWNLOAD_URL_SECONDS,
        );
        const redirect: Record<string, string> = { location, 'cache-control': 'no-store' };
        return { statusCode: 303, data: true, headers: redirect };
      }
      const bytes = await deps.documents.read(request.document.key);
      // The object is put before the request's item is created and never removed while the request exists.
      if (!bytes) throw new Error(`the document of sign request ${request.id} is missing from the bucket`);
      return {
        statusCode: 200,
        data: true,
        file: bytes,
        headers: { ...fileHeaders, etag: `"${request.document.sha256}"` },
      };
    },
  });

export const handler = await lambdaHandler(() =>
  createDocumentHandler({ ...sharedHttpApiDependencies(), ...documentDependencies(readEnvironment()) }),
);
