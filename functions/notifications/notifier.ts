import type { Mail } from './mail.ts';

/** (secondary port) How mail leaves: SES in AWS (ses-notifier.ts), the local mailbox under npm start. */
export interface Notifier {
  /** Resolves once the mail is accepted for delivery; throws if it was not, so the message is retried. */
  send(mail: Mail): Promise<void>;
}

/**
 * Thrown by a notifier when the mail service refused this one recipient for good (a rejected, malformed or
 * suppressed address): trying again cannot succeed, so the mailer records it and does not retry. `reason` is
 * the service's error name only: its message may quote the address.
 */
export class NotificationRefused extends Error {
  override readonly name = 'NotificationRefused';

  constructor(readonly reason: string) {
    super(`notification refused for good: ${reason}`);
  }
}
