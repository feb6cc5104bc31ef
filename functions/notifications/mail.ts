/** What a message is about; the local mailbox and the logs show it, a receiver may sort on it. */
export type MailKind = 'INVITATION' | 'REMINDER' | 'RECALLED' | 'DECLINED' | 'COMPLETED' | 'SIGNING_CODE';

/**
 * One e-mail to one person, in text and in HTML. Built only by functions/notifications/mail-content.ts, which
 * strips invisible and control characters from every piece of user data and shows it as quoted text, never as
 * a link: the only link a message may hold is a signing link this service derived.
 */
export interface Mail {
  kind: MailKind;
  /**
   * The event this tells about: with the recipient, what the mailer dedupes on (delivery is at least once). A
   * one-time code mail, which no event asks for, has an id of its own.
   */
  eventId: string;
  signRequestId: string;
  appId: string;
  /** The signer it goes to, or undefined for the sender (the request's `senderEmail`). */
  signerId?: string;
  to: { name: string; email: string };
  subject: string;
  text: string;
  html: string;
  /** The completion notice's signed document, when it is small enough to travel in the mail (mail-content.ts). */
  attachment?: MailAttachment;
}

/** A file sent with a mail: SES's Simple content carries it as an attachment. */
interface MailAttachment {
  fileName: string;
  contentType: 'application/pdf';
  bytes: Uint8Array;
}
