import type { Notifier } from '../notifications/notifier.ts';
import type { Environment } from '../runtime/environment.ts';
import type { HttpApiDependencies } from './http-api.ts';
import { sesMailer } from './ses-mailer.ts';

/**
 * POST <link>/code mails its one-time code itself (never through an event), so its function alone among the
 * HTTP ones holds a way to send mail: SES from NOTIFY_FROM_ADDRESS in AWS, or the `notifier` given (the local
 * mailbox under npm start and in the tests).
 */
export interface SigningCodeFunctionDependencies extends HttpApiDependencies {
  codeMail: Notifier;
}

/**
 * A stage deployed without mail (no notifyFromAddress) has no sender: each code is then refused by the mail
 * step (503 SIGNING_CODE_NOT_SENT), not by the function's start, so every other answer of the route stays right.
 */
const noMail: Notifier = {
  send: () => Promise.reject(Object.assign(new Error('this stage sends no mail'), { name: 'MailNotConfigured' })),
};

export const signingCodeDependencies = (
  env: Environment,
  base: HttpApiDependencies,
  notifier?: Notifier,
): SigningCodeFunctionDependencies => ({
  ...base,
  codeMail: notifier ?? (env.NOTIFY_FROM_ADDRESS ? sesMailer(env) : noMail),
});
