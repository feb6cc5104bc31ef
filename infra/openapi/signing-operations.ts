import { refusals } from '../../functions/core/errors.ts';
import { DeclineInput } from '../../functions/contracts/decline.ts';
import { SignInput } from '../../functions/contracts/sign.ts';
import { SigningViewInput } from '../../functions/contracts/signing-view.ts';
import type { RouteKey } from '../../functions/routes.ts';
import { AT, ID, SIGNER_ID } from './examples.ts';
import type { EnvelopeOperation } from './operations.ts';
import { DeclineData, SignatureData, SigningViewData } from './responses.ts';

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
      'recorded (`ViewedAt`, a `VIEWED` history entry); later opens write nothing.',
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
        ViewedAt: AT,
        SignedAt: null,
      },
    },
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.tooManyConflicts(),
    ],
    page:
      'The signer’s page (when `Accept` prefers `text/html`, as a browser’s does): the document, the sender’s ' +
      'message, every signer’s progress, and a Sign and a Decline form; or the request’s state (recalled: by whom, ' +
      'when and why; declined; expired; completed) at the refusal’s status. No script, no other host, a strict ' +
      'Content-Security-Policy, `Referrer-Policy: no-referrer`, `Cache-Control: no-store`.',
  },
  'POST /v1/signing/{signingToken}/sign': {
    kind: 'envelope',
    operationId: 'signSignRequest',
    tag: 'Signing',
    summary: 'A signer signs',
    description:
      'Answers the request’s status after this signature: `COMPLETED` for the signature that completes it. The ' +
      'body is optional; `signedName` defaults to the signer’s name.',
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
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.signingCompleted(),
      refusals.alreadySigned(),
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
      'while the request is open, not signed by all, before its deadline and this signer has not signed. Every ' +
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
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingDeclined(),
      refusals.youDeclined(),
      refusals.signingCompleted(),
      refusals.alreadySigned(),
      refusals.tooManyConflicts(),
    ],
    page:
      'With `Accept` preferring `text/html` (the page’s own form), the body is a form and the answer is the page: ' +
      'a confirmation, the form again with what was wrong (400), or the request’s state at the refusal’s status.',
  },
} satisfies Partial<Record<RouteKey, EnvelopeOperation>>;
