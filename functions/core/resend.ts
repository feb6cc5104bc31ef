import type { DomainError } from './errors.ts';
import { refusalOf } from './guards.ts';
import { newId } from './ids.ts';
import { newSignRequest, type SecretFor } from './initiate.ts';
import { resendClaimRule } from './rules.ts';
import { type ExpectedVersions, type ResendRecord, type SignRequest, type SignerProof } from './sign-request.ts';

export interface ResendCommand {
  signRequestId: string;
  appId: string;
  /** What the body changes; anything left out is the resent request's own. */
  documentName?: string;
  /** `order`: the signer's group in the signing order, as at initiate; `proof` in stored form (a code hashed). */
  signers?: readonly { name: string; email: string; order?: number | undefined; proof?: SignerProof | undefined }[];
  message?: string;
  expiresAt?: string;
  /** The versions If-Match names: the claim lands only on one of them. */
  expectedVersions?: ExpectedVersions;
}

/**
 * The claim's record: the replacement's ids, number and time, and its content, resolved now. The body's fields
 * win (its document is always the resent request's: replacementOf); otherwise the resent request's document name, message (an empty `message` removes it), requester and
 * signers (names, emails, list order, signing order) carry over, and its mail options (sender e-mail, invitations, reminders); its
 * deadline only while it is still ahead (an expired request's deadline has passed).
 */
export const resendRecord = (
  resent: SignRequest,
  command: ResendCommand,
  requestNo: string,
  at: string,
  callId: string,
): ResendRecord => {
  const signers =
    command.signers ??
    Object.values(resent.signers)
      .sort((a, b) => a.order - b.order)
      // Each signer's proof carries over as stored: the access code's hash, never a code.
      .map(({ name, email, signingOrder, proof }) => ({
        name,
        email,
        order: signingOrder,
        ...(proof ? { proof } : {}),
      }));
  const message = command.message ?? resent.message;
  const expiresAt =
    command.expiresAt ??
    (resent.expiresAt !== undefined && Date.parse(resent.expiresAt) > Date.parse(at) ? resent.expiresAt : undefined);
  return {
    signRequestId: newId(),
    requestNo,
    at,
    callId,
    documentName: command.documentName ?? resent.documentName,
    ...(message ? { message } : {}),
    ...(resent.requestedBy ? { requestedBy: resent.requestedBy } : {}),
    ...(expiresAt ? { expiresAt } : {}),
    ...(resent.senderEmail ? { senderEmail: resent.senderEmail } : {}),
    ...(resent.sendInvitations === false ? { sendInvitations: false as const } : {}),
    ...(resent.remindEveryDays ? { remindEveryDays: resent.remindEveryDays } : {}),
    ...(resent.recallAfterFailedProofs ? { recallAfterFailedProofs: resent.recallAfterFailedProofs } : {}),
    // Each signer keeps their group of the signing order (absent, from a request made before it: 1) and proof.
    signers: signers.map(({ name, email, order, proof }) => ({
      signerId: newId(),
      name,
      email,
      ...(order !== undefined ? { signingOrder: order } : {}),
      ...(proof ? { proof } : {}),
    })),
  };
};

/** The replacement a claim stands for, the same whichever call builds it: the ids, time and secrets are fixed. */
export const replacementOf = (resent: SignRequest, record: ResendRecord, secretFor: SecretFor): SignRequest => ({
  ...newSignRequest(
    {
      appId: resent.appId,
      documentName: record.documentName,
      signers: record.signers.map(({ name, email, signingOrder, proof }) => ({
        name,
        email,
        order: signingOrder,
        ...(proof ? { proof } : {}),
      })),
      ...(record.message ? { message: record.message } : {}),
      ...(record.requestedBy ? { requestedBy: record.requestedBy } : {}),
      ...(record.expiresAt ? { expiresAt: record.expiresAt } : {}),
      ...(record.senderEmail ? { senderEmail: record.senderEmail } : {}),
      ...(record.sendInvitations === false ? { sendInvitations: false } : {}),
      ...(record.remindEveryDays ? { remindEveryDays: record.remindEveryDays } : {}),
      ...(record.recallAfterFailedProofs ? { recallAfterFailedProofs: record.recallAfterFailedProofs } : {}),
      // The same PDF: its record names the resent request's object, which is kept as long as that request is
      // (never tagged pending again, never removed), so the replacement reads and serves the very same bytes.
      ...(resent.document ? { document: resent.document } : {}),
    },
    record.requestNo,
    record.at,
    secretFor,
    record.signRequestId,
    record.signers.map((signer) => signer.signerId),
  ),
  replaces: resent.id,
});

/**
 * Why a request the caller owns, not resent yet, may not be resent at `now` (core/rules.ts `resendClaimRule`: a
 * stale If-Match first, as for a recall); undefined when it may.
 */
export const resendRefusal = (
  request: SignRequest,
  expectedVersions: ExpectedVersions | undefined,
  now: string,
): DomainError | undefined => refusalOf(resendClaimRule({ appId: request.appId, at: now, expectedVersions }), request);

/**
 * A request already resent: this call's own claim (an earlier attempt landed, its answer was lost) answers as
 * success; any other call is refused by the claim's rule, 412 for a stale If-Match, else 409 naming the
 * replacement.
 */
export const resentRefusal = (
  request: SignRequest & { resend: ResendRecord },
  callId: string,
  expectedVersions: ExpectedVersions | undefined,
): DomainError | undefined =>
  request.resend.callId === callId
    ? undefined
    : refusalOf(resendClaimRule({ appId: request.appId, at: request.resend.at, expectedVersions }), request);
