import type { Logger } from '@aws-lambda-powertools/logger';
import { isOwnCodeSend, newEmailCode, planCodeSend, type CodeSendPlan } from '../core/email-code.ts';
import { DomainError, refusals } from '../core/errors.ts';
import { openSigningLink } from '../core/signing.ts';
import type { SigningToken } from '../core/signing-token.ts';
import type { Notifier } from '../notifications/notifier.ts';
import { signingCodeMail } from '../notifications/signing-code-mail.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { MAX_CONFLICT_ATTEMPTS, pauseAfterConflict } from './retry.ts';
import { settleWrite } from './unknown-outcome.ts';

export interface EmailCodeDependencies {
  signRequests: Pick<SignRequestStore, 'get' | 'storeEmailCode'>;
  /** Mails the code at once: SES in AWS, the local mailbox under npm start and in the tests. */
  notifier: Notifier;
  logger: Pick<Logger, 'warn'>;
  clock?: Clock;
  /** How a retry waits after the n-th refusal; tests pass their own to see the pauses without waiting. */
  pause?: (attempt: number) => Promise<void>;
}

/** The code was stored but the mail service did not take its mail: the signer may ask again (it counts). */
const notMailed = () =>
  new DomainError('unavailable', [
    { Code: 'SIGNING_CODE_NOT_SENT', Message: 'The code could not be e-mailed right now; ask for a new one shortly' },
  ]);

/**
 * POST <link>/code: draws a code, stores its hash by the one conditional write of core/rules.ts `codeSendRule`
 * (which refuses a dead link, a signer asked for no code, and a sixth send within the hour), then mails it to
 * the signer directly: the mailer is driven by events, and a code must never be in one. A write that lost its
 * place in `sentAt` to a concurrent send is planned again from what the store found, with the same code.
 * The code leaves this function only in the mail: never in its answer, a log line or an error.
 */
export const sendEmailCode = async (deps: EmailCodeDependencies, token: SigningToken): Promise<CodeSendPlan> => {
  const clock = deps.clock ?? systemClock;
  const code = newEmailCode();
  let current = await deps.signRequests.get(token.signRequestId);
  for (let attempt = 1; attempt <= MAX_CONFLICT_ATTEMPTS; attempt++) {
    // The request the token opens (or its refusal): the mail names its signer's address and its document.
    const { request } = openSigningLink(current, token);
    const plan = planCodeSend(request, token, clock(), code);
    const written = await settleWrite(
      deps.signRequests,
      plan.signRequestId,
      () => deps.signRequests.storeEmailCode(plan),
      (found) => isOwnCodeSend(found, plan),
    );
    if (written.ok || isOwnCodeSend(written.current, plan)) {
      await mail(deps, signingCodeMail(request, plan.signerId, code), plan);
      return plan;
    }
    current = written.current;
    if (attempt > 1) await (deps.pause ?? pauseAfterConflict)(attempt);
  }
  throw refusals.tooManyConflicts();
};

const mail = async (deps: EmailCodeDependencies, message: Parameters<Notifier['send']>[0], plan: CodeSendPlan) => {
  try {
    await deps.notifier.send(message);
  } catch (error) {
    // The error's name only: a mail service's message may quote the address.
    deps.logger.warn('signing code stored but not mailed', {
      signRequestId: plan.signRequestId,
      signerId: plan.signerId,
      reason: error instanceof Error ? error.name : 'unknown',
    });
    throw notMailed();
  }
};
