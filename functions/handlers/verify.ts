import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isUlid } from '../core/ids.ts';
import { statusAt, type SignRequestStatus } from '../core/sign-request.ts';
import { REQUEST_NOT_HELD, VERIFY_MAX_BYTES, VerifyInput } from '../contracts/verify.ts';
import { verifySeal } from '../documents/verify-seal.ts';
import { transportRefusals } from '../http/refusals.ts';
import { httpRoute, type HttpHandler } from '../http/route.ts';
import { readEnvironment } from '../runtime/environment.ts';
import { evidenceDependencies, type EvidenceFunctionDependencies } from '../wiring/evidence.ts';
import { sharedHttpApiDependencies } from '../wiring/http-api.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';

const PDF_CONTENT_TYPE = /^application\/pdf\s*(;|$)/i;

/** The answer: a verdict on any file, the request's ids and current status only for an intact seal of ours. */
type Verdict =
  | { Valid: true; SignRequestId: string; RequestNo: string; Status: SignRequestStatus; Sha256: string }
  | { Valid: false; Reason: string };

const emptyBody = () => transportRefusals.emptyFileBody('the PDF to verify');

/** The body's bytes, within VERIFY_MAX_BYTES (counted before decoding, so an oversize body is never decoded). */
const pdfBytes = (event: APIGatewayProxyEventV2): Buffer => {
  const { body, isBase64Encoded } = event;
  if (body === undefined || body === '') throw emptyBody();
  const decodedAtMost = isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body, 'utf8');
  if (decodedAtMost > VERIFY_MAX_BYTES + 2) throw transportRefusals.payloadTooLarge(VERIFY_MAX_BYTES);
  const bytes = Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
  if (bytes.byteLength > VERIFY_MAX_BYTES) throw transportRefusals.payloadTooLarge(VERIFY_MAX_BYTES);
  if (bytes.byteLength === 0) throw emptyBody();
  return bytes;
};

/**
 * POST /v1/verify (no token): whether the PDF in the body is intact evidence this service sealed, and if so of
 * which request and where that request stands now. Any file gets a verdict, never a 500: a changed, unsealed,
 * foreign or unreadable one is `Valid: false` with a reason that says nothing about any request.
 */
export const createVerifyHandler = (deps: EvidenceFunctionDependencies): HttpHandler =>
  httpRoute(deps, {
    auth: 'none',
    body: 'none',
    schema: VerifyInput,
    refuseEarly: (event) =>
      PDF_CONTENT_TYPE.test(event.headers['content-type'] ?? '')
        ? undefined
        : transportRefusals.unsupportedMediaType('application/pdf'),
    handle: async ({ event }): Promise<{ statusCode: number; data: Verdict }> => {
      const pdf = pdfBytes(event);
      const key = await deps.sealingKey();
      const verdict = verifySeal(pdf, key.trusted);
      if (!verdict.valid) return { statusCode: 200, data: { Valid: false, Reason: verdict.reason } };
      const request = isUlid(verdict.signRequestId) ? await deps.signRequests.get(verdict.signRequestId) : undefined;
      if (!request) return { statusCode: 200, data: { Valid: false, Reason: REQUEST_NOT_HELD } };
      return {
        statusCode: 200,
        data: {
          Valid: true,
          SignRequestId: request.id,
          RequestNo: request.requestNo,
          // As every reader sees it: an open request past its deadline is EXPIRED.
          Status: statusAt(request, new Date().toISOString()),
          Sha256: verdict.sha256,
        },
      };
    },
  });

export const handler = await lambdaHandler(() =>
  createVerifyHandler(evidenceDependencies(readEnvironment(), sharedHttpApiDependencies())),
);
