import { refusals } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { SecretFor } from '../core/initiate.ts';
import {
  planSignerChange,
  planSignerRemoval,
  replayedChange,
  replayedRemoval,
  type SignerChangeCommand,
  type SignerEditCommand,
} from '../core/signer-change.ts';
import type { SignRequest } from '../core/sign-request.ts';
import { secondsToNextUtcDay, type MailCapStore } from '../store/mail-cap.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { MAX_CONFLICT_ATTEMPTS, pauseAfterConflict } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';

interface EditDependencies {
  signRequests: Pick<SignRequestStore, 'get'>;
  clock?: Clock;
  /** How a retry waits after the n-th refusal; tests pass their own to see the pauses without waiting. */
  pause?: (attempt: number) => Promise<void>;
}

export interface ChangeSignerDependencies extends EditDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'changeSigner'>;
  /** The new signer's secret, derived as initiate derives every signer's. */
  secretFor: SecretFor;
  /** The new signer's invitation counts against the app's daily mail cap, as initiate's and remind's do. */
  mailCap: Pick<MailCapStore, 'take' | 'giveBack' | 'dailyCap'>;
}

export interface RemoveSignerDependencies extends EditDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'removeSigner'>;
}

/** The request after the change, and the signer who now stands where the one named stood. */
export interface SignerChanged {
  request: SignRequest;
  signerId: string;
}

/**
 * PATCH .../signers/{signerId}: read, plan in core, then ONE conditional write on the version read (core/rules.ts
 * `signerChangeRule`). Refused, it plans again from the request the store found: a signature of the same signer
 * that got there first is then refused as SIGNER_ALREADY_ACTED; any other write in between (another signer's
 * signature or view) only moves the version. A change the request already shows (this call's own write whose
 * answer was lost, or an earlier call retried with the same fields) answers as that change: the same new signer.
 * The invitation it asks for is counted against the mail cap once, before the first write, and given back unless
 * this call's change landed.
 */
export const changeSigner = async (
  deps: ChangeSignerDependencies,
  command: SignerChangeCommand,
  newSignerId: string = newId(),
): Promise<SignerChanged> => {
  const clock = deps.clock ?? systemClock;
  let current = await deps.signRequests.get(command.signRequestId);
  let counted: { at: string } | undefined;
  let landed = false;
  try {
    for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
      const replayed = replayedChange(current, command);
      if (replayed && current) {
        landed = replayed.signerId === newSignerId;
        return { request: current, signerId: replayed.signerId };
      }
      const plan = planSignerChange(current, command, clock(), deps.secretFor, newSignerId);
      if (!counted && current?.sendInvitations !== false) {
        if (!(await deps.mailCap.take(command.appId, 1, plan.at)))
          throw refusals.mailCapReached(deps.mailCap.dailyCap, secondsToNextUtcDay(plan.at));
        counted = { at: plan.at };
      }
      const written = await settleWrite(
        deps.signRequests,
        command.signRequestId,
        () => deps.signRequests.changeSigner(plan),
        (found) => found?.formerSigners?.[command.signerId]?.replacedBy === newSignerId,
      );
      if (written.ok) {
        landed = true;
        return { request: written.request, signerId: newSignerId };
      }
      current = written.current;
      if (attempt > 1) await (deps.pause ?? pauseAfterConflict)(attempt);
    }
    throw refusals.tooManyConflicts();
  } finally {
    if (counted && !landed) await deps.mailCap.giveBack(command.appId, 1, counted.at);
  }
};

/**
 * DELETE .../signers/{signerId}: the change's way, on `signerRemovalRule`; the removal of the last signer missing a
 * signature completes the request in the same write. A removal the request already shows answers as done, so a
 * DELETE retried after its answer was lost answers as the first one did.
 */
export const removeSigner = async (
  deps: RemoveSignerDependencies,
  command: SignerEditCommand,
): Promise<SignRequest> => {
  const clock = deps.clock ?? systemClock;
  let current = await deps.signRequests.get(command.signRequestId);
  for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
    if (current && replayedRemoval(current, command)) return current;
    const plan = planSignerRemoval(current, command, clock());
    const written = await settleWrite(
      deps.signRequests,
      command.signRequestId,
      () => deps.signRequests.removeSigner(plan),
      (found) => replayedRemoval(found, command),
    );
    if (written.ok) return written.request;
    current = written.current;
    if (attempt > 1) await (deps.pause ?? pauseAfterConflict)(attempt);
  }
  throw refusals.tooManyConflicts();
};
