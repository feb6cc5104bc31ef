import { refusals } from '../../functions/core/errors.ts';
import { ChangeSignerInput, RemoveSignerInput } from '../../functions/contracts/signer.ts';
import type { RouteKey } from '../../functions/routes.ts';
import { CHANGED_SIGNER_ID, ID, SIGNER_ID } from './examples.ts';
import type { EnvelopeOperation } from './operations.ts';
import { ChangedSignerData, RemovedSignerData } from './responses.ts';

const PARAMETERS = {
  signRequestId: 'The `SignRequestId` initiate answered (a ULID).',
  signerId: 'The signer’s current `SignerId` (a ULID), as the read lists it.',
};

/** What both refuse: the request's, the signer's, and the request's state (the recall's 409s). */
const EDIT_REFUSALS = [
  refusals.signRequestNotFound(),
  refusals.signerNotFound(),
  refusals.preconditionFailed(),
  refusals.signerReplaced(CHANGED_SIGNER_ID),
  refusals.signerAlreadyActed(),
  refusals.alreadyCancelled(),
  refusals.alreadyCompleted(),
  refusals.expiredNotRecallable(),
  refusals.alreadyDeclined(),
  refusals.tooManyConflicts(),
];

/** Fixing a signer in flight (tag "Sign requests"), by route key. */
export const signerOperations = {
  'PATCH /v1/sign-requests/{signRequestId}/signers/{signerId}': {
    kind: 'envelope',
    operationId: 'changeSigner',
    tag: 'Sign requests',
    summary: 'Change a signer who has not signed or declined',
    description:
      'Corrects the name or e-mail of a signer of an open request who has neither signed nor declined (having ' +
      'viewed is fine). The signer is replaced by a new one, under a new `SignerId` and with a new signing link: ' +
      'the old link answers 410 `SIGNING_LINK_REPLACED` at once, and the new signer is e-mailed an invitation ' +
      '(unless the request was made with `sendInvitations: false`). The new signer keeps the old one’s place in ' +
      'the list and every field not given. One conditional write decides it: of this change and a signature of ' +
      'the same signer, exactly one lands. Answers the request’s new `ETag`. A retry with the same fields after ' +
      'a lost answer finds the change made and answers it again (the same `SignerId` and link); no ' +
      'Idempotency-Key is needed. Another app’s request answers exactly like a missing one.',
    input: ChangeSignerInput,
    parameterDescriptions: PARAMETERS,
    auth: 'bearer',
    body: 'json',
    idempotent: false,
    conditional: true,
    etag: true,
    invalidBody: { email: 'not-an-address' },
    requestExample: { email: 'asha.rao@example.com' },
    success: {
      status: 200,
      description: 'The signer as changed: the new id and link to use from now on.',
      data: ChangedSignerData,
      example: {
        SignRequestId: ID,
        SignerId: CHANGED_SIGNER_ID,
        ReplacedSignerId: SIGNER_ID,
        Name: 'Asha Rao',
        Email: 'asha.rao@example.com',
        SigningUrl: `http://localhost:3000/v1/signing/${ID}.${CHANGED_SIGNER_ID}.Y2hhbmdlZC1zaWduZXItc2VjcmV0LWV4YW1wbGUx`,
      },
    },
    refusals: [...EDIT_REFUSALS, refusals.emailTaken(), refusals.mailCapReached(10_000, 36_000)],
  },
  'DELETE /v1/sign-requests/{signRequestId}/signers/{signerId}': {
    kind: 'envelope',
    operationId: 'removeSigner',
    tag: 'Sign requests',
    summary: 'Remove a signer who has not signed or declined',
    description:
      'Removes a signer of an open request who has neither signed nor declined; their link answers 410 ' +
      '`SIGNING_LINK_REPLACED` at once. One signer at least must remain (409 `LAST_SIGNER`). When every signer ' +
      'left has signed, the request completes in the same write (`Status` COMPLETED, and a ' +
      '`SignRequestCompleted` event). A retry after a lost answer answers as the removal did. Answers the ' +
      'request’s new `ETag`.',
    input: RemoveSignerInput,
    parameterDescriptions: PARAMETERS,
    auth: 'bearer',
    body: 'none',
    idempotent: false,
    conditional: true,
    etag: true,
    success: {
      status: 200,
      description: 'The request once the signer is gone.',
      data: RemovedSignerData,
      example: { SignRequestId: ID, RemovedSignerId: SIGNER_ID, Status: 'PARTIALLY_SIGNED', SignerCount: 2 },
    },
    refusals: [...EDIT_REFUSALS, refusals.lastSigner()],
  },
} satisfies Partial<Record<RouteKey, EnvelopeOperation>>;
