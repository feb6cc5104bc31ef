import { refusals } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { SecretFor } from '../core/initiate.ts';
import { replacementOf, resendRecord, resendRefusal, resentRefusal, type ResendCommand } from '../core/resend.ts';
import { withStoredProofs, type SignerProofInput } from '../core/signer-proof.ts';
import { formatRequestNo } from '../core/request-no.ts';
import type { ResendRecord, SignRequest } from '../core/sign-request.ts';
import type { AppStore } from '../store/apps.ts';
import { secondsToNextUtcDay, type MailCapStore } from '../store/mail-cap.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { drawRequestNumber, type QuotaOfApp } from './initiate.ts';
import { settleWrite } from './unknown-outcome.ts';

export interface ResendDependencies {
  appStore: Pick<AppStore, 'nextRequestNumber'>;
  signRequests: Pick<SignRequestStore, 'get' | 'claimResend' | 'create'>;
  requestNoPrefix: string;
  secretFor: SecretFor;
  mailCap: Pick<MailCapStore, 'take' | 'giveBack' | 'dailyCap'>;
  clock?: Clock;
}

type Resent = SignRequest & { resend: ResendRecord };

/**
 * Creates the replacement a claim stands for, unless it exists (a create refused because its id is taken is this
 * very replacement: the id is the claim's own ULID); answers it as stored. Every call that finds a claim does
 * this, so a call that stopped between the claim and the create never leaves the claim without its request.
 */
const completeReplacement = async (deps: ResendDependencies, resent: Resent): Promise<SignRequest> => {
  const replacement = replacementOf(resent, resent.resend, deps.secretFor);
  // Found there after a lost answer, the replacement is what this create made (or another call's, the same one).
  const created = await settleWrite(
    deps.signRequests,
    replacement.id,
    () => deps.signRequests.create(replacement),
    (found) => found !== undefined,
  );
  if (created.ok) return replacement;
  if (!created.current) throw new Error(`the replacement ${replacement.id} was refused and is not there`);
  return created.current;
};

/**
 * Correct and resend: a new request from a cancelled, expired or declined one, at most once. It reads the request (its
 * content carries over), numbers the replacement, then ONE conditional write on the request resent claims the
 * resend for this call with the replacement's id and content, and only then is the replacement created. Whoever
 * finds a claim creates the replacement if it is missing; the claiming call (`callId`: one per call, or derived
 * from its Idempotency-Key) answers it, anyone else is refused with its id. A number drawn by a call that then
 * lost the claim is a gap.
 */
export const resendSignRequest = async (
  deps: ResendDependencies,
  {
    signers,
    ...command
  }: Omit<ResendCommand, 'signers'> &
    QuotaOfApp & { signers?: readonly ({ name: string; email: string } & SignerProofInput)[] | undefined },
  callId: string = newId(),
): Promise<SignRequest> => {
  const clock = deps.clock ?? systemClock;
  const read = await deps.signRequests.get(command.signRequestId);
  let current: SignRequest | undefined = read;
  if (read && read.appId === command.appId && !read.resend) {
    const refusal = resendRefusal(read, command.expectedVersions, clock());
    if (refusal) throw refusal;
    // The replacement's invitations count against the app's daily mail cap, as initiate's do; a call that then
    // loses the claim gives its count back (no mail of its making will go); one whose claim landed though its
    // answer was lost keeps it.
    const invitations = read.sendInvitations === false ? 0 : (signers ?? Object.keys(read.signers)).length;
    const at = clock();
    if (!(await deps.mailCap.take(command.appId, invitations, at)))
      throw refusals.mailCapReached(deps.mailCap.dailyCap, secondsToNextUtcDay(at));
    const n = await drawRequestNumber(deps, command, invitations, at);
    // New signers' access codes are hashed before the claim, which keeps them: never a code in clear.
    const stored = signers === undefined ? {} : { signers: await withStoredProofs(signers) };
    const record = resendRecord(
      read,
      { ...command, ...stored },
      formatRequestNo(deps.requestNoPrefix, n),
      clock(),
      callId,
    );
    const claimed = await settleWrite(
      deps.signRequests,
      read.id,
      () => deps.signRequests.claimResend(read.id, read.appId, record, command.expectedVersions),
      (found) => found?.resend?.callId === callId,
    );
    const ownClaim = claimed.ok || claimed.current?.resend?.callId === callId;
    if (!ownClaim) await deps.mailCap.giveBack(command.appId, invitations, at);
    current = claimed.ok ? { ...read, resend: record } : claimed.current;
  }
  if (!current || current.appId !== command.appId) throw refusals.signRequestNotFound();
  if (!current.resend) {
    // Refused, yet not resent: it changed between the read and the claim (a newer version, or it went from
    // resendable by its deadline to a status the claim refuses, which cannot be: a resendable request stays so).
    throw resendRefusal(current, command.expectedVersions, clock()) ?? refusals.tooManyConflicts();
  }
  const resent = current as Resent;
  const replacement = await completeReplacement(deps, resent);
  const refusal = resentRefusal(resent, callId, command.expectedVersions);
  if (refusal) throw refusal;
  return replacement;
};
