import { UploadInput } from '../contracts/upload.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { lazyIdempotencyRunner } from '../wiring/idempotency.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { uploadDependencies, type UploadFunctionDependencies } from '../wiring/upload.ts';
import { createUpload, refuseOversizedUpload, uploadUrlOf } from '../workflows/upload.ts';

/**
 * POST /v1/documents: an upload for a PDF of up to 25 MiB, too large to send inline. Answers its DocumentId
 * (initiate's `documentId`) and a presigned PUT URL for exactly the declared size. The URL is never stored with
 * an Idempotency-Key's answer (it is a credential, if a short-lived one): a replay signs it again, the same.
 */
export const createUploadHandler = (deps: UploadFunctionDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'bearer',
    body: 'json',
    schema: UploadInput,
    idempotency: { operation: 'upload', runner: lazyIdempotencyRunner(deps.dynamoClient, deps.config.tableName) },
    precheck: refuseOversizedUpload,
    handle: async ({ input, app }) => {
      const upload = await createUpload(deps, { ...input, appId: app.appId });
      return { statusCode: 201, data: { DocumentId: upload.documentId, ExpiresAt: upload.expiresAt } };
    },
    reveal: async ({ DocumentId, ExpiresAt }, { app, input }) => ({
      DocumentId,
      UploadUrl: await uploadUrlOf(deps.documents, {
        appId: app.appId,
        documentId: DocumentId,
        size: input.size,
        expiresAt: ExpiresAt,
      }),
      ExpiresAt,
    }),
  });

export const handler = await lambdaHandler(() =>
  createUploadHandler(uploadDependencies(readEnvironment(), sharedHttpApiDependencies())),
);
