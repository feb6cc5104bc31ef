import { refusals } from '../../functions/core/errors.ts';
import { SignRequestStatus } from '../../functions/core/sign-request.ts';
import { CertificateInput } from '../../functions/contracts/certificate.ts';
import { REQUEST_NOT_HELD, VERIFY_MAX_BYTES, VerifyInput } from '../../functions/contracts/verify.ts';
import { SealRefusal } from '../../functions/documents/verify-seal.ts';
import { transportRefusals } from '../../functions/http/refusals.ts';
import type { RouteKey } from '../../functions/routes.ts';
import * as z from '../../functions/zod.ts';
import { ID } from './examples.ts';
import type { EnvelopeOperation } from './operations.ts';

const statuses = Object.values(SignRequestStatus) as [SignRequestStatus, ...SignRequestStatus[]];
const reasons: [string, ...string[]] = [REQUEST_NOT_HELD, ...Object.values(SealRefusal)];

/** What verify answers in `Data`: the request's ids and current status only for an intact seal of this service. */
const VerifyData = z.union([
  z.object({
    Valid: z.literal(true),
    SignRequestId: z.string(),
    RequestNo: z.string(),
    Status: z.enum(statuses),
    Sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  }),
  z.object({ Valid: z.literal(false), Reason: z.enum(reasons) }),
]);

/** The certificate and verify (tag "Evidence"), by route key. */
export const evidenceOperations = {
  'GET /v1/sign-requests/{signRequestId}/certificate': {
    kind: 'envelope',
    operationId: 'getCertificate',
    tag: 'Evidence',
    summary: 'Download a request’s sealed certificate',
    description:
      'A PDF stating the request as it stands now, in any state: its number and id, the document (name and ' +
      'SHA-256) or that it carries none, the sender (the app), every signer (name, email, status, typed name, ' +
      'when viewed, signed or declined, and the address and browser of their last act where recorded) and the ' +
      'outcome: completed; recalled, by whom, when, why and from which address; declined, by whom and why; ' +
      'expired; or still open. It carries one PDF signature (ETSI.CAdES.detached) over the whole file, made with ' +
      'the service’s sealing key: `POST /v1/verify` (or any PDF reader) tells whether it was changed since. Made ' +
      'on each call, never stored. Another app’s request answers exactly like a missing one.',
    input: CertificateInput,
    parameterDescriptions: { signRequestId: 'The `SignRequestId` initiate answered (a ULID).' },
    auth: 'bearer',
    body: 'none',
    idempotent: false,
    success: {
      status: 200,
      description: 'The sealed certificate, as a download (`Content-Disposition: attachment`, `no-store`).',
      file: { mediaType: 'application/pdf', description: 'The sealed certificate PDF.' },
    },
    transportRefusals: [transportRefusals.sealingUnavailable()],
    refusals: [refusals.signRequestNotFound()],
  },
  'GET /v1/sign-requests/{signRequestId}/signed-document': {
    kind: 'envelope',
    operationId: 'getSignedDocument',
    tag: 'Evidence',
    summary: 'Download a completed request’s signed document',
    description:
      'One PDF: the original’s pages (when the request carries a document), then the certificate’s, with one PDF ' +
      'signature (ETSI.CAdES.detached) over the whole file, made with the service’s sealing key. It is made ' +
      'once, moments after the last signature, and stored: every call answers the same bytes, whose SHA-256 is ' +
      'the read’s `SignedDocument.Sha256`, this answer’s `ETag`, and the `SignedDocumentReady` event’s. ' +
      'Completed but not yet made: 409 `SIGNED_DOCUMENT_NOT_READY` with `Retry-After`; any other state (open, ' +
      'recalled, declined, expired): 409 `SIGN_REQUEST_NOT_COMPLETED`. Another app’s request answers exactly ' +
      'like a missing one.',
    input: CertificateInput,
    parameterDescriptions: { signRequestId: 'The `SignRequestId` initiate answered (a ULID).' },
    auth: 'bearer',
    body: 'none',
    idempotent: false,
    success: { status: 200, description: 'The signed document.', data: z.boolean(), example: true },
    file: {
      mediaType: 'application/pdf',
      headers: {
        'Content-Disposition': 'attachment, named `<document name>-signed.pdf` (`filename` and `filename*`)',
        ETag: 'The signed document’s SHA-256 (hex), quoted',
        'Cache-Control': 'no-store',
      },
    },
    refusals: [
      refusals.signRequestNotFound(),
      refusals.signRequestNotCompleted('CANCELLED'),
      refusals.signedDocumentNotReady(5),
    ],
  },
  'POST /v1/verify': {
    kind: 'envelope',
    operationId: 'verifySealedFile',
    tag: 'Evidence',
    summary: 'Check a sealed PDF',
    description:
      'No token: anyone holding a file the service handed out may check it. The body is the PDF itself ' +
      `(\`Content-Type: application/pdf\`, at most ${VERIFY_MAX_BYTES} bytes). \`Valid: true\` when its one seal ` +
      'covers the whole file, was made with this service’s sealing key and matches every byte: then the request ' +
      'it is evidence of, and that request’s status now (which may have changed since the file was sealed). Any ' +
      'other file (changed after sealing, not sealed, sealed by someone else, not a PDF) is `Valid: false` with ' +
      'a reason that names no request.',
    input: VerifyInput,
    parameterDescriptions: {},
    auth: 'none',
    body: 'none',
    fileBody: { mediaType: 'application/pdf', description: 'The PDF to check, as it was received.' },
    idempotent: false,
    success: {
      status: 200,
      description: 'The verdict on the file.',
      data: VerifyData,
      example: { Valid: true, SignRequestId: ID, RequestNo: 'KAiZEN-2', Status: 'CANCELLED', Sha256: 'ab'.repeat(32) },
    },
    transportRefusals: [
      transportRefusals.emptyFileBody('the PDF to verify'),
      transportRefusals.payloadTooLarge(VERIFY_MAX_BYTES),
      transportRefusals.unsupportedMediaType('application/pdf'),
      transportRefusals.sealingUnavailable(),
    ],
    refusals: [],
  },
} satisfies Partial<Record<RouteKey, EnvelopeOperation>>;
