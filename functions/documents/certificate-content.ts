import { capped, cleanLine } from '../core/visible-text.ts';
import type {
  CertificateFacts,
  FailedProofFacts,
  OutcomeFacts,
  SignerChangeFacts,
  SignerFacts,
} from './certificate-facts.ts';

/** One labelled fact as the certificate shows it. */
export interface Row {
  readonly label: string;
  readonly value: string;
}

export interface Section {
  readonly heading: string;
  /** A sentence under the heading, when the rows alone would not say enough. */
  readonly summary?: string;
  readonly rows: readonly Row[];
}

export interface CertificateContent {
  readonly title: string;
  readonly subtitle: string;
  readonly sections: readonly Section[];
  /** How to read the certificate: times, cut values, replaced characters. */
  readonly notes: readonly string[];
}

/**
 * The most characters a value of each kind shows. Values come from apps and browsers; a certificate must stay a
 * few pages whatever they send, so longer values are cut (marked with an ellipsis) rather than refused.
 */
export const SHOWN_LENGTH = {
  name: 200,
  email: 320,
  text: 1000,
  userAgent: 512,
  ip: 64,
  id: 100,
  time: 40,
  sha256: 64,
} as const;

const NONE = '—';

/** A value as shown: control and format characters out (core/visible-text.ts), then cut to its kind's length. */
export const shownValue = (value: string | undefined, max: number): string => {
  const cleaned = cleanLine(value ?? '');
  return cleaned === '' ? NONE : capped(cleaned, max);
};

const row = (label: string, value: string | undefined, max: number): Row => ({ label, value: shownValue(value, max) });
/** A row only when the fact is there: absent optional facts are not listed as blanks. */
const rowIf = (label: string, value: string | undefined, max: number): Row[] =>
  value === undefined ? [] : [row(label, value, max)];

const outcomeSection = (outcome: OutcomeFacts): Section => {
  switch (outcome.kind) {
    case 'completed':
      return {
        heading: 'Outcome: COMPLETED',
        summary: 'Every signer signed.',
        rows: [row('Completed at', outcome.at, SHOWN_LENGTH.time)],
      };
    case 'recalled':
      return {
        heading: 'Outcome: RECALLED',
        summary: outcome.byService
          ? 'The service recalled (cancelled) this request after too many wrong signer proofs; no further signature can be given.'
          : 'The sender recalled (cancelled) this request before every signer had signed; no further signature can be given.',
        rows: [
          row('Recalled by', outcome.by, SHOWN_LENGTH.name),
          row('Recalled at', outcome.at, SHOWN_LENGTH.time),
          row('Reason', outcome.reason, SHOWN_LENGTH.text),
          ...rowIf('IP address', outcome.ip, SHOWN_LENGTH.ip),
          ...rowIf('User agent', outcome.userAgent, SHOWN_LENGTH.userAgent),
        ],
      };
    case 'declined':
      return {
        heading: 'Outcome: DECLINED',
        summary: 'A signer declined to sign; the request ended there.',
        rows: [
          row('Declined by', outcome.by, SHOWN_LENGTH.name),
          row('Declined at', outcome.at, SHOWN_LENGTH.time),
          row('Reason', outcome.reason, SHOWN_LENGTH.text),
        ],
      };
    case 'expired':
      return {
        heading: 'Outcome: EXPIRED',
        summary: "The request's deadline passed before every signer had signed.",
        rows: [row('Expired at', outcome.at, SHOWN_LENGTH.time)],
      };
    case 'open':
      return {
        heading: 'Outcome: OPEN',
        summary: 'The request is still open: this certificate records its state when it was issued.',
        rows: [],
      };
  }
};

const signerSection = (signer: SignerFacts, index: number, count: number): Section => ({
  heading: `Signer ${index + 1} of ${count}`,
  rows: [
    row('Name', signer.name, SHOWN_LENGTH.name),
    row('Email', signer.email, SHOWN_LENGTH.email),
    row('Status', signer.status, SHOWN_LENGTH.id),
    ...(signer.signingOrder
      ? [
          row('Signing order', String(signer.signingOrder.order), SHOWN_LENGTH.id),
          row('Invited at', signer.signingOrder.invitedAt ?? 'not invited', SHOWN_LENGTH.text),
        ]
      : []),
    ...rowIf('Typed name', signer.typedName, SHOWN_LENGTH.name),
    row('Viewed at', signer.viewedAt, SHOWN_LENGTH.time),
    ...rowIf('Signed at', signer.signedAt, SHOWN_LENGTH.time),
    ...rowIf('Declined at', signer.declinedAt, SHOWN_LENGTH.time),
    ...rowIf('Decline reason', signer.declineReason, SHOWN_LENGTH.text),
    ...rowIf('IP address', signer.ip, SHOWN_LENGTH.ip),
    ...rowIf('User agent', signer.userAgent, SHOWN_LENGTH.userAgent),
    ...rowIf('Document SHA-256 shown', signer.documentSha256Shown, SHOWN_LENGTH.sha256),
    ...rowIf('Proof asked', proofName(signer.proofAsked), SHOWN_LENGTH.text),
    ...rowIf('Proof given', proofName(signer.proofGiven), SHOWN_LENGTH.text),
    ...failedProofRows(
      signer.failedProofs ?? [],
      Math.max(signer.failedProofCount ?? 0, signer.failedProofs?.length ?? 0),
    ),
  ],
});

const personShown = (person: { name: string; email: string }): string =>
  `${shownValue(person.name, SHOWN_LENGTH.name)} <${shownValue(person.email, SHOWN_LENGTH.email)}>`;

/** One row per change of the signers: what happened, as its label; when, and who became whom or who left. */
const signerChangeRow = (change: SignerChangeFacts): Row => {
  const at = shownValue(change.at, SHOWN_LENGTH.time);
  return change.kind === 'changed'
    ? { label: 'Signer changed', value: `${at}: ${personShown(change.from)} replaced by ${personShown(change.to)}` }
    : { label: 'Signer removed', value: `${at}: ${personShown(change.from)}` };
};

/** Only when the app changed its signers: a request never changed reads as before. */
const signerChangesSection = (changes: readonly SignerChangeFacts[]): Section[] =>
  changes.length === 0
    ? []
    : [
        {
          heading: 'Changes to the signers',
          summary:
            'The sender changed or removed these signers before they had signed or declined; their links stopped working then.',
          rows: changes.map(signerChangeRow),
        },
      ];

/** A proof as a reader names it. */
const proofName = (kind: string | undefined): string | undefined =>
  kind === 'ACCESS_CODE' ? 'access code' : kind === 'EMAIL' ? 'one-time code sent by email' : kind;

/**
 * Wrong proofs: how many, and each of the first MAX_FAILED_PROOF_ROWS with its time and address (a lock every
 * five bounds them, yet a long-open request could gather hundreds: the count is always whole).
 */
const MAX_FAILED_PROOF_ROWS = 20;
const failedProofRows = (failed: readonly FailedProofFacts[], count: number): Row[] =>
  count === 0
    ? []
    : [
        row('Wrong proofs', String(count), SHOWN_LENGTH.id),
        ...failed
          .slice(0, MAX_FAILED_PROOF_ROWS)
          .map((attempt, index) =>
            row(
              `Wrong proof ${index + 1}`,
              [attempt.at, attempt.ip, attempt.userAgent].filter((part) => part !== undefined).join(', '),
              SHOWN_LENGTH.userAgent,
            ),
          ),
      ];

/** What the certificate says, in order, before any layout. */
export const certificateContent = (facts: CertificateFacts, serviceName: string): CertificateContent => ({
  title: 'Certificate of evidence',
  subtitle: `Sign request ${shownValue(facts.requestNo, SHOWN_LENGTH.id)}, issued by ${serviceName}`,
  sections: [
    {
      heading: 'Request',
      rows: [
        row('Request number', facts.requestNo, SHOWN_LENGTH.id),
        row('Sign request id', facts.signRequestId, SHOWN_LENGTH.id),
        row('Sender', facts.sender, SHOWN_LENGTH.name),
        row('Created at', facts.createdAt, SHOWN_LENGTH.time),
        row('Certificate issued at', facts.issuedAt, SHOWN_LENGTH.time),
      ],
    },
    facts.document === null
      ? { heading: 'Document', summary: 'This request carries no document.', rows: [] }
      : {
          heading: 'Document',
          rows: [
            row('Name', facts.document.name, SHOWN_LENGTH.name),
            row('SHA-256', facts.document.sha256, SHOWN_LENGTH.sha256),
            row('Size', `${facts.document.size} bytes`, SHOWN_LENGTH.id),
            row('Pages', String(facts.document.pages), SHOWN_LENGTH.id),
          ],
        },
    outcomeSection(facts.outcome),
    ...facts.signers.map((signer, index) => signerSection(signer, index, facts.signers.length)),
    ...signerChangesSection(facts.signerChanges),
  ],
  notes: [
    'Times are UTC (ISO 8601). IP addresses and user agents are as the service received them with each act.',
    `Values longer than the certificate shows are cut and end with "…". Characters its font cannot show are written as [U+XXXX], their Unicode code points.`,
    `This file is sealed with a PDF signature of ${serviceName}: any change to it breaks the seal, which a PDF reader or the service's verification shows.`,
  ],
});
