import { refusals } from '../../functions/core/errors.ts';
import { SIGNED_DOCUMENT_RETRY_SECONDS } from '../../functions/core/errors.ts';
import { EMAIL_CODE_SENDS_PER_HOUR, EMAIL_CODE_VALID_MS } from '../../functions/core/email-code-limits.ts';
import { DeclineInput } from '../../functions/contracts/decline.ts';
import { SigningCodeInput } from '../../functions/contracts/signing-code.ts';
import { SignInput } from '../../functions/contracts/sign.ts';
import { SigningViewInput } from '../../functions/contracts/signing-view.ts';
import { SignerProofInput } from '../../functions/contracts/signer-proof.ts';
import type { RouteKey } from '../../functions/routes.ts';
import * as z from '../../functions/zod.ts';
import { AT, ID, SIGNER_ID } from './examples.ts';
import type { EnvelopeOperation } from './operations.ts';
import { DeclineData, SignatureData, SigningCodeData, SigningViewData } from './responses.ts';

const signingTokenDescription =
  "The token at the end of the signer's SigningUrl: the link is the signer's only credential.";

/** A signer's calls by their signing link (tag "Signing"), each also answered as the signer's page. */
export const signingOperations = {
  'GET /v1/signing/{signingToken}': {
    kind: 'envelope',
    operationId: 'openSigningLink',
    tag: 'Signing',
    summary: 'A signer opens their link',
    description:
      'What the signer needs to see, never the other signers. The first open by a signer who has not signed is ' +
      'recorded (`ViewedAt`, a `VIEWED` history entry); later opens write nothing, and so does an open by a ' +
      'signer whose turn in the signing order has not come (`YourTurn` false: nothing to act on yet).',
    input: SigningViewInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'none',
    idempotent: false,
    success: {
      status: 200,
      description: 'The document and this signer’s part.',
      data: SigningViewData,
      example: {
        SignRequestId: ID,
        RequestNo: 'KAiZEN-2',
        Status: 'PENDING',
        DocumentName: 'Master Services Agreement.pdf',
        Message: null,
        RequestedBy: null,
        ExpiresAt: null,
        SignerId: SIGNER_ID,
        SignerName: 'Asha Rao',
        SignerStatus: 'PENDING',
        SignerOrder: 1,
        YourTurn: true,
        ViewedAt: AT,
        SignedAt: null,
      },
    },
    signerProof: true,
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingLinkReplaced(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.signerProofRequired(),
      refusals.signerProofInvalid(),
      refusals.signerLocked(900),
      refusals.tooManyConflicts(),
    ],
    page:
      'The signer’s page (when `Accept` prefers `text/html`, as a browser’s does): the document, the sender’s ' +
      'message, every signer’s progress, and a Sign and a Decline form (before the signer’s turn in the signing ' +
      'order, "Not your turn yet" and no form); or the request’s state (recalled: by whom, ' +
      'when and why; declined; expired; completed) at the refusal’s status. No script, no other host, a strict ' +
      'Content-Security-Policy, `Referrer-Policy: no-referrer`, `Cache-Control: no-store`.',
  },
  'GET /v1/signing/{signingToken}/document': {
    kind: 'envelope',
    operationId: 'openSignerDocument',
    tag: 'Signing',
    summary: 'A signer opens the document',
    description:
      'The PDF behind the link, the same to a browser and to an API client: while the request is open (`PENDING`, ' +
      '`PARTIALLY_SIGNED`, whether or not this signer has signed), its original, the very bytes whose SHA-256 the ' +
      'page shows; once `COMPLETED`, its signed document (the original with the certificate, sealed; a request ' +
      'without an original gets the certificate alone), or 409 `SIGNED_DOCUMENT_NOT_READY` with `Retry-After` in ' +
      'the seconds after the last signature, while it is sealed. Refused as opening the link is (404 for a token ' +
      'that opens nothing; 410 once recalled, declined or expired, with the same message); an open request ' +
      'without a document is 404 `DOCUMENT_NOT_FOUND`. Nothing is recorded: the first view is the page’s.',
    input: SigningViewInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'none',
    idempotent: false,
    success: {
      status: 200,
      description: 'The original PDF, or the signed document.',
      data: z.boolean(),
      example: true,
    },
    file: {
      mediaType: 'application/pdf',
      headers: {
        'Content-Disposition':
          'inline, with the original’s file name, or `<document name>-signed.pdf` for the signed document ' +
          '(`filename` and `filename*`)',
        ETag: 'The served file’s SHA-256 (hex), quoted',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': 'The signer’s page’s own policy',
        'Referrer-Policy': 'no-referrer',
      },
    },
    signerProof: true,
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingLinkReplaced(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.signerProofRequired(),
      refusals.signerProofInvalid(),
      refusals.signerLocked(900),
      refusals.documentNotFound(),
      refusals.signedDocumentNotReady(SIGNED_DOCUMENT_RETRY_SECONDS),
    ],
    page:
      'A browser (`Accept` preferring `text/html`, as when the signer follows the page’s link) gets the PDF just ' +
      'the same; a refusal is a page at the same status, in the signing page’s words (recalled: by whom, when ' +
      'and why; declined; expired), with the signing page’s headers.',
  },
  'POST /v1/signing/{signingToken}/sign': {
    kind: 'envelope',
    operationId: 'signSignRequest',
    tag: 'Signing',
    summary: 'A signer signs',
    description:
      'Answers the request’s status after this signature: `COMPLETED` for the signature that completes it. The ' +
      'body is optional; `signedName` defaults to the signer’s name. Only in the signer’s turn of the signing ' +
      'order (409 `NOT_YOUR_TURN` before it); the signature that completes its group invites the next group in ' +
      'the same write (`SignersInvited`).',
    input: SignInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'optional-json',
    idempotent: false,
    requestExample: { signedName: 'Asha Rao' },
    invalidBody: { signedName: '' },
    success: {
      status: 200,
      description: 'Signed.',
      data: SignatureData,
      example: { SignRequestId: ID, SignerId: SIGNER_ID, SignerStatus: 'SIGNED', Status: 'PARTIALLY_SIGNED' },
    },
    signerProof: true,
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingLinkReplaced(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.signerProofRequired(),
      refusals.signerProofInvalid(),
      refusals.signerLocked(900),
      refusals.signingCompleted(),
      refusals.alreadySigned(),
      refusals.notYourTurn(),
      refusals.tooManyConflicts(),
    ],
    page:
      'With `Accept` preferring `text/html` (the page’s own form), the body is a form and the answer is the page: ' +
      'a confirmation, the form again with what was wrong (400), or the request’s state at the refusal’s status.',
  },
  'POST /v1/signing/{signingToken}/decline': {
    kind: 'envelope',
    operationId: 'declineSignRequest',
    tag: 'Signing',
    summary: 'A signer declines',
    description:
      'Closes the request as `DECLINED` with one conditional write, the same kind as a recall: it lands only ' +
      'while the request is open, not signed by all, before its deadline, this signer has not signed and it is ' +
      'their turn in the signing order (409 `NOT_YOUR_TURN` before it). Every ' +
      'signing link of it answers 410 `SIGN_REQUEST_DECLINED` from then on; the reason goes to the app (read, ' +
      'event, webhook), never to the other signers.',
    input: DeclineInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'json',
    idempotent: false,
    requestExample: { reason: 'The fee in clause 4 is wrong' },
    invalidBody: { reason: '' },
    success: {
      status: 200,
      description: 'Declined.',
      data: DeclineData,
      example: { SignRequestId: ID, SignerId: SIGNER_ID, Status: 'DECLINED' },
    },
    signerProof: true,
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingLinkReplaced(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.signerProofRequired(),
      refusals.signerProofInvalid(),
      refusals.signerLocked(900),
      refusals.youDeclined(),
      refusals.signingCompleted(),
      refusals.alreadySigned(),
      refusals.notYourTurn(),
      refusals.tooManyConflicts(),
    ],
    page:
      'With `Accept` preferring `text/html` (the page’s own form), the body is a form and the answer is the page: ' +
      'a confirmation, the form again with what was wrong (400), or the request’s state at the refusal’s status.',
  },
  'POST /v1/signing/{signingToken}/code': {
    kind: 'envelope',
    operationId: 'sendSigningCode',
    tag: 'Signing',
    summary: 'Mail the signer a one-time code',
    description:
      'For a signer initiated with `"verify": "email"`: mails a new 6-digit code (mail kind `SIGNING_CODE`) to ' +
      `the signer's address, good for ${EMAIL_CODE_VALID_MS / 60_000} minutes and only until the next one is ` +
      'sent (one at a time). The answer never holds the code; only its hash is stored. At most ' +
      `${EMAIL_CODE_SENDS_PER_HOUR} sends to a signer in any hour: the next is 429 \`SIGNING_CODE_LIMIT\` with ` +
      '`Retry-After` (when the oldest of them leaves the hour). The link’s own refusals come first (404, 410); a ' +
      'signer not asked for a code is 409 `SIGNING_CODE_NOT_USED`; one who signed, 409. A code stored whose mail ' +
      'the mail service did not take is 503 `SIGNING_CODE_NOT_SENT` (it counts as a send).',
    input: SigningCodeInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'optional-json',
    idempotent: false,
    invalidBody: { code: '123456' },
    success: {
      status: 202,
      description: 'The code is mailed.',
      data: SigningCodeData,
      example: { Sent: true, ExpiresAt: AT },
    },
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.youDeclined(),
      refusals.signingCodeNotUsed(),
      refusals.signerLocked(900),
      refusals.signingCompleted(),
      refusals.alreadySigned(),
      refusals.signingCodeLimit(EMAIL_CODE_SENDS_PER_HOUR, 1800),
      refusals.tooManyConflicts(),
    ],
    page:
      'A browser (`Accept` preferring `text/html`, or the page’s own form, `application/x-www-form-urlencoded`) ' +
      'is sent back to its link with 303 once the code is mailed; a refusal is a short page at its status ' +
      '(429 with `Retry-After`).',
  },
  'POST /v1/signing/{signingToken}/proof': {
    kind: 'envelope',
    operationId: 'proveSigner',
    tag: 'Signing',
    summary: 'A signer gives their code (the page’s proof step)',
    description:
      'For a signer initiate gave an `accessCode` or `verify: "email"`: the code, checked and counted exactly as ' +
      '`X-Signer-Proof` is (a wrong one is an `AUTH_FAILED` history entry; every fifth in a row locks the signer for ' +
      '15 minutes; the request’s `recallAfterFailedProofs` recalls it). An API client may call it to check a code; ' +
      'it still sends `X-Signer-Proof` on every other call. `Proof` is null for a signer asked for none.',
    input: SignerProofInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'json',
    idempotent: false,
    requestExample: { code: '4F7-QX2-K9' },
    invalidBody: { code: '' },
    success: {
      status: 200,
      description: 'The code is right.',
      data: z.object({ SignerId: z.string(), Proof: z.nullable(z.enum(['ACCESS_CODE', 'EMAIL'])) }),
      example: { SignerId: SIGNER_ID, Proof: 'ACCESS_CODE' },
    },
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.signerProofInvalid(),
      refusals.signerLocked(900),
      refusals.tooManyConflicts(),
    ],
    page:
      'The page’s proof step posts its form (`code`) here: a right code answers 303 to the link with a pass, a ' +
      'cookie (HttpOnly, Secure, SameSite=Strict, the link’s path, 30 minutes; an HMAC of the request, the signer, ' +
      'the link and the proof, never the code) that the page, its forms and the document accept in place of the ' +
      'header; a wrong one shows the proof step again with one message, at 401 (429 once locked).',
  },
} satisfies Partial<Record<RouteKey, EnvelopeOperation>>;
