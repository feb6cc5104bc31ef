import type { DomainEvent } from '../core/events.ts';
import { isOpen, signersInOrder, SignerStatus, type SignRequest, type Signer } from '../core/sign-request.ts';
import type { Mail, MailKind } from './mail.ts';
import { renderHtml, renderText, subjectWith, type Block, type Part } from './mail-layout.ts';
import { shown } from '../core/visible-text.ts';

/** A signer's own signing link, derived again from the link signing key (functions/wiring/signer-notifier.ts). */
export type LinkFor = (signRequestId: string, signerId: string) => string;

// What a value that is empty once cleaned shows instead: neutral words of ours, never user data.
const SOMEONE = 'someone';
const THE_SENDER = 'the sender';
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

/** Built for the event: every piece of user data goes in as `{ data }`, so it is cleaned and quoted. */
const compose = (
  kind: MailKind,
  request: SignRequest,
  event: DomainEvent,
  to: Recipient,
  subjectWording: string,
  blocks: Block[],
): Mail => {
  const subject = subjectWith(subjectWording, shown(request.documentName, A_DOCUMENT));
  const greeting: Block = { line: ['Hello ', ...(to.signerId ? [{ data: to.name }] : ['there']), ','] };
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
const senderParts = (request: SignRequest): Part[] =>
  request.requestedBy && shown(request.requestedBy, '') ? [{ data: request.requestedBy }] : [THE_SENDER];
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
      {
        line: [
          ...senderParts(request),
          kind === 'INVITATION' ? ' asks you to sign ' : ' is still waiting for your signature on ',
          ...documentParts(request),
          '.',
        ],
      },
      ...(request.message && shown(request.message, '')
        ? [{ line: ['Their message:'] }, { quote: request.message }]
        : []),
      ...(request.expiresAt ? [{ line: [`Please sign before ${when(request.expiresAt)}.`] }] : []),
      { line: ['Open your signing link to read and sign: ', { link: linkFor(request.id, entry[0]) }] },
      { line: ['This link is yours alone: please do not forward this e-mail.'] },
    ],
  );

const pendingSigners = (request: SignRequest) =>
  signersInOrder(request).filter(([, signer]) => signer.status !== SignerStatus.Signed);

/**
 * The mail one event asks for, to whom (functions/workflows/notify-signers.ts sends it):
 * - SignRequestCreated: an invitation to each signer, unless the app sends the links itself;
 * - SignersReminded: a reminder to each signer named, while the request is open and they have not signed;
 * - SignRequestRecalled: every signer (those who had signed learn their signature will not be used) and the
 *   sender, unless the recall said `notifySigners: false`;
 * - SignRequestDeclined: the sender and every other signer;
 * - SignRequestCompleted: every signer and the sender.
 * Built from the stored request: invitations and reminders carry a link derived again from the link signing
 * key (`linkFor`), never one stored anywhere.
 */
export const mailFor = (request: SignRequest, event: DomainEvent, linkFor: LinkFor): Mail[] => {
  switch (event.type) {
    case 'SignRequestCreated':
      if (request.sendInvitations === false) return [];
      return signersInOrder(request).map((entry) => askToSign('INVITATION', request, event, entry, linkFor));
    case 'SignersReminded':
      if (!isOpen(request.status)) return [];
      return pendingSigners(request)
        .filter(([signerId]) => event.signerIds.includes(signerId))
        .map((entry) => askToSign('REMINDER', request, event, entry, linkFor));
    case 'SignRequestRecalled':
      return recallMail(request, event);
    case 'SignRequestDeclined':
      return declineMail(request, event);
    case 'SignRequestCompleted':
      return completionMail(request, event);
    case 'SignerSigned':
    case 'SignRequestExpired':
      return [];
  }
};

const recallMail = (request: SignRequest, event: Extract<DomainEvent, { type: 'SignRequestRecalled' }>): Mail[] => {
  if (request.recall?.notifySigners === false) return [];
  const { recall } = event;
  const recalled: Block = {
    line: [
      { data: shown(recall.by, SOMEONE) },
      ' recalled the request for signatures on ',
      ...documentParts(request),
      ` on ${when(recall.at)}.`,
    ],
  };
  const reason: Block = { line: ['Reason given: ', { data: shown(recall.reason, '-') }] };
  const toSigners = signersInOrder(request).map((entry) => {
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
  const declined: Block = {
    line: [
      { data: shown(decliner?.name, SOMEONE) },
      ' declined to sign ',
      ...documentParts(request),
      ` on ${when(event.decline.at)}.`,
    ],
  };
  const reason: Block = { line: ['Reason given: ', { data: shown(event.decline.reason, '-') }] };
  const closed: Block = { line: ['The request is closed: nobody can sign it any more.'] };
  // The reason is the sender's to read (as on the signer's page and in the read): other signers learn who and when.
  const toSigners = signersInOrder(request)
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

const completionMail = (request: SignRequest, event: DomainEvent): Mail[] => {
  const names = signersInOrder(request).flatMap(([, signer], index): Part[] => [
    ...(index > 0 ? [', '] : []),
    { data: shown(signer.name, SOMEONE) },
  ]);
  const blocks: Block[] = [
    { line: ['Everyone has signed ', ...documentParts(request), '.'] },
    { line: ['Signed by ', ...names, '.'] },
  ];
  return [
    ...signersInOrder(request).map((entry) =>
      compose('COMPLETED', request, event, signerRecipient(entry), 'Completed:', blocks),
    ),
    ...sender(request).map((to) => compose('COMPLETED', request, event, to, 'Completed:', blocks)),
  ];
};
