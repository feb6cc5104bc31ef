/** One message to one person. Plain text only: nothing a mail client could render as a link we did not write. */
export interface SignerNotification {
  /** The event this tells about: with `signerId`, what a receiver may dedupe on (delivery is at least once). */
  eventId: string;
  signRequestId: string;
  signerId: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
}

/** (secondary port) How signers are told: SES in AWS (ses-notifier.ts), an in-memory outbox locally. */
export interface Notifier {
  /** Resolves once the notification is accepted for delivery; throws if it was not, so the message is retried. */
  send(notification: SignerNotification): Promise<void>;
}

/**
 * Thrown by a notifier when the mail service refused this one recipient for good (a rejected or malformed
 * address): trying again cannot succeed, so the notifier records it and does not retry. `reason` is the
 * service's error name only: its message may quote the address.
 */
export class NotificationRefused extends Error {
  override readonly name = 'NotificationRefused';

  constructor(readonly reason: string) {
    super(`notification refused for good: ${reason}`);
  }
}
