import type { DomainEvent } from '../core/events.ts';
import { isOpen, signersInOrder, SignerStatus, type SignRequest, type Signer } from '../core/sign-request.ts';
import type { Mail, MailKind } from './mail.ts';
import { renderHtml, renderText, subjectWith, type Block, type Part } from './mail-layout.ts';
import { shown } from '../core/visible-text.ts';
import { firstGroup, groupOf, wasReached } from '../core/signing-order.ts';

/** A signer's own signing link, derived again from the link signing key (functions/wiring/mailer.ts). */
export type LinkFor = (signRequestId: string, signerId: string) => string;

// What a value that is empty once cleaned shows instead: neutral words of ours, never user data. (Names and
// document names are refused at initiate when nothing visible is left of them; a recall's or a decline's words
// are not, so each sentence has a form without the name, starting as a sentence does.)
const A_SIGNER = 'a signer';
const A_DOCUMENT = 'a document';

const when = (iso: string) => new Date(iso).toUTCString();

interface Recipient {
  signerId?: string;
  name: string;
  email: string;
}

const signerRecipient = ([signerId, signer]: [string, Signer]): Recipient => ({
  signerId,
  name: signer.name,
  email: signer.email,
});

/** Built for the event: every piece of user data goes in as `{ name }` or `{ data }`, so it is cleaned. */
const compose = (
  kind: MailKind,
  request: SignRequest,
  event: DomainEvent,
  to: Recipient,
  subjectWording: string,
  blocks: Block[],
): Mail => {
  const subject = subjectWith(subjectWording, shown(request.documentName, A_DOCUMENT));
  const name = to.signerId ? shown(to.name, '') : '';
  const greeting: Block = { line: name ? ['Hello ', { name }, ','] : ['Hello,'] };
  const all = [greeting, ...blocks];
  return {
    kind,
    eventId: event.eventId,
    signRequestId: request.id,
    appId: request.appId,
    ...(to.signerId ? { signerId: to.signerId } : {}),
    to: { name: shown(to.name, ''), email: to.email },
    subject,
    text: renderText(all),
    html: renderHtml(subject, all),
  };
};

const documentParts = (request: SignRequest): Part[] => [
  { data: shown(request.documentName, A_DOCUMENT) },
  ` (${request.requestNo})`,
];
/** Who asked, when the request says so (requestedBy, with something visible in it). */
const requesterOf = (request: SignRequest): string | undefined => shown(request.requestedBy, '') || undefined;
const sender = (request: SignRequest): Recipient[] =>
  request.senderEmail ? [{ name: shown(request.requestedBy, ''), email: request.senderEmail }] : [];

/** The invitation or a reminder: to one signer, with their own link, the one link a mail may hold. */
const askToSign = (
  kind: 'INVITATION' | 'REMINDER',
  request: SignRequest,
  event: DomainEvent,
  entry: [string, Signer],
  linkFor: LinkFor,
): Mail =>
  compose(
    kind,
    request,
    event,
    signerRecipient(entry),
    kind === 'INVITATION' ? 'Please sign' : 'Reminder: please sign',
    [
      { line: askingSentence(kind, request) },
      ...(request.message && shown(request.message, '') ? [messageHeading(request), { quote: request.message }] : []),
      ...(request.expiresAt ? [{ line: [`Please sign before ${when(request.expiresAt)}.`] }] : []),
      { button: { link: linkFor(request.id, entry[0]), label: 'Read and sign (or decline)' } },
      { note: ['This link is yours alone: please do not forward this e-mail.'] },
    ],
  );

/** The first sentence of an invitation or a reminder: with the requester's name as its subject, or without. */
const askingSentence = (kind: 'INVITATION' | 'REMINDER', request: SignRequest): Part[] => {
  const requester = requesterOf(request);
  if (kind === 'INVITATION')
    return requester
      ? [{ name: requester }, ' asks you to sign ', ...documentParts(request), '.']
      : ['You are asked to sign ', ...documentParts(request), '.'];
  return requester
    ? [{ name: requester }, ' is still waiting for your signature on ', ...documentParts(request), '.']
    : ['Your signature is still awaited on ', ...documentParts(request), '.'];
};

const messageHeading = (request: SignRequest): Block => {
  const requester = requesterOf(request);
  return { line: requester ? ['Message from ', { name: requester }, ':'] : ['Message from the sender:'] };
};

const pendingSigners = (request: SignRequest) =>
  signersInOrder(request).filter(([, signer]) => signer.status !== SignerStatus.Signed);

/**
 * The mail one event asks for, to whom (functions/workflows/send-mail.ts sends each only while it still fits the
 * request, functions/notifications/mail-fit.ts):
 * - SignRequestCreated: an invitation to each signer of the first group of the signing order (everyone, when no
 *   order was given), unless the app sends the links itself;
 * - SignersInvited: an invitation to each signer of the next group it names, likewise;
 * - SignerChanged: an invitation to the new signer, with their new link, on the same condition;
 * - SignersReminded: a reminder to each signer named, while the request is open and they have not signed;
 * - SignRequestRecalled: every signer reached (invited: their group's turn came; those who had signed learn their
 *   signature will not be used) and the sender, unless the recall said `notifySigners: false`;
 * - SignRequestDeclined: the sender and every other signer reached;
 * - SignedDocumentReady: every signer and the sender, that the request is completed, with its signed document
 *   (attached when small enough: `attachesSignedDocument`; else how to get it). No mail on SignRequestCompleted
 *   itself: the completion notice waits until the signed document is sealed, so it can carry it.
 * Built from the stored request: invitations and reminders carry a link derived again from the link signing
 * key (`linkFor`), never one stored anywhere.
 */
export const mailFor = (request: SignRequest, event: DomainEvent, linkFor: LinkFor): Mail[] => {
  switch (event.type) {
    case 'SignRequestCreated': {
      if (request.sendInvitations === false) return [];
      const first = firstGroup(request);
      return signersInOrder(request)
        .filter(([, signer]) => groupOf(signer) === first)
        .map((entry) => askToSign('INVITATION', request, event, entry, linkFor));
    }
    case 'SignersInvited':
      if (request.sendInvitations === false) return [];
      return signersInOrder(request)
        .filter(([signerId]) => event.signerIds.includes(signerId))
        .map((entry) => askToSign('INVITATION', request, event, entry, linkFor));
    case 'SignerChanged': {
      // The new signer's invitation, while they are still the signer (a later change makes another).
      const signer = request.signers[event.newSignerId];
      if (request.sendInvitations === false || !signer) return [];
      return [askToSign('INVITATION', request, event, [event.newSignerId, signer], linkFor)];
    }
    case 'SignersReminded':
      if (!isOpen(request.status)) return [];
      return pendingSigners(request)
        .filter(([signerId]) => event.signerIds.includes(signerId))
        .map((entry) => askToSign('REMINDER', request, event, entry, linkFor));
    case 'SignRequestRecalled':
      return recallMail(request, event);
    case 'SignRequestDeclined':
      return declineMail(request, event);
    case 'SignedDocumentReady':
      return completionMail(request, event, linkFor);
    case 'SignRequestCompleted':
    case 'SignerSigned':
    case 'SignRequestExpired':
    case 'SignerRemoved':
      return [];
  }
};

/** The signers a recall or a decline notice goes to: those reached, never a later group that was never invited. */
const reachedSigners = (request: SignRequest) =>
  signersInOrder(request).filter(([, signer]) => wasReached(request, signer));

const recallMail = (request: SignRequest, event: Extract<DomainEvent, { type: 'SignRequestRecalled' }>): Mail[] => {
  if (request.recall?.notifySigners === false) return [];
  const { recall } = event;
  const by = shown(recall.by, '');
  const recalled: Block = {
    line: by
      ? [{ name: by }, ' recalled the request for signatures on ', ...documentParts(request), ` on ${when(recall.at)}.`]
      : ['The request for signatures on ', ...documentParts(request), ` was recalled on ${when(recall.at)}.`],
  };
  const reason: Block = { line: ['Reason given: ', { data: shown(recall.reason, '-') }] };
  const toSigners = reachedSigners(request).map((entry) => {
    const signed = entry[1].status === SignerStatus.Signed;
    return compose('RECALLED', request, event, signerRecipient(entry), 'Signature request recalled:', [
      recalled,
      reason,
      {
        line: [
          signed
            ? 'You had already signed it. Your signature will not be used: the request was recalled before everyone had signed, so the document will not be completed.'
            : 'Your signing link for this document no longer works, and there is nothing more for you to do.',
        ],
      },
      { line: ['If you have questions, please contact the sender.'] },
    ]);
  });
  const toSender = sender(request).map((to) =>
    compose('RECALLED', request, event, to, 'Signature request recalled:', [
      recalled,
      reason,
      { line: [`${request.signedCount} of ${request.signerCount} signers had signed. Nobody can sign it any more.`] },
    ]),
  );
  return [...toSigners, ...toSender];
};

const declineMail = (request: SignRequest, event: Extract<DomainEvent, { type: 'SignRequestDeclined' }>): Mail[] => {
  const decliner = request.signers[event.decline.signerId];
  const declinerName = shown(decliner?.name, '');
  const declined: Block = {
    line: [
      ...(declinerName ? [{ name: declinerName }, ' declined to sign '] : ['A signer declined to sign ']),
      ...documentParts(request),
      ` on ${when(event.decline.at)}.`,
    ],
  };
  const reason: Block = { line: ['Reason given: ', { data: shown(event.decline.reason, '-') }] };
  const closed: Block = { line: ['The request is closed: nobody can sign it any more.'] };
  // The reason is the sender's to read (as on the signer's page and in the read): other signers learn who and when.
  const toSigners = reachedSigners(request)
    .filter(([signerId]) => signerId !== event.decline.signerId)
    .map((entry) =>
      compose('DECLINED', request, event, signerRecipient(entry), 'Signature request declined:', [
        declined,
        closed,
        ...(entry[1].status === SignerStatus.Signed ? [{ line: ['Your signature will not be used.'] }] : []),
      ]),
    );
  const toSender = sender(request).map((to) =>
    compose('DECLINED', request, event, to, 'Signature request declined:', [declined, reason, closed]),
  );
  return [...toSigners, ...toSender];
};

/**
 * The largest signed document the completion notice carries. SES takes a message of up to 40 MB (base64 makes a
 * file a third larger), but the notice goes to every signer and the sender, one SendEmail each, from one mailer
 * invocation of 15 s: 10 MiB (13.4 MB a mail) keeps a completion of dozens of recipients within a few tries, and
 * within what a mailbox accepts. A larger one is not attached: each signer gets their link, whose page serves it,
 * and the sender is told where the app fetches it.
 */
export const MAX_ATTACHED_SIGNED_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Whether the completion notice of this signed document carries it as an attachment. */
export const attachesSignedDocument = (size: number): boolean => size <= MAX_ATTACHED_SIGNED_DOCUMENT_BYTES;

const completionMail = (
  request: SignRequest,
  event: Extract<DomainEvent, { type: 'SignedDocumentReady' }>,
  linkFor: LinkFor,
): Mail[] => {
  const names = signersInOrder(request).flatMap(([, signer], index): Part[] => [
    ...(index > 0 ? [', '] : []),
    { name: shown(signer.name, A_SIGNER) },
  ]);
  const attached = attachesSignedDocument(event.signedDocument.size);
  const blocks: Block[] = [
    { line: ['Everyone has signed ', ...documentParts(request), '.'] },
    { line: ['Signed by ', ...names, '.'] },
  ];
  const attachedNote: Block = {
    line: [
      'The signed document is attached: the document followed by its signing certificate, sealed by the service, ',
      'so any PDF reader can check that nothing in it changed.',
    ],
  };
  const toSigner = (entry: [string, Signer]) =>
    compose('COMPLETED', request, event, signerRecipient(entry), 'Completed:', [
      ...blocks,
      ...(attached
        ? [attachedNote]
        : [
            { line: ['The signed document is too large to attach. Your link serves it:'] },
            { button: { link: linkFor(request.id, entry[0]), label: 'Get the signed document' } },
            { note: ['This link is yours alone: please do not forward this e-mail.'] },
          ]),
    ]);
  const toSender = (to: Recipient) =>
    compose('COMPLETED', request, event, to, 'Completed:', [
      ...blocks,
      ...(attached
        ? [attachedNote]
        : [
            {
              line: [
                `The signed document is too large to attach. Your app can fetch it at GET /v1/sign-requests/${request.id}/signed-document.`,
              ],
            },
          ]),
    ]);
  return [...signersInOrder(request).map(toSigner), ...sender(request).map(toSender)];
};
