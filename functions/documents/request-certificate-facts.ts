import { signersInOrder, statusAt, type HistoryEntry, type SignRequest, type Signer } from '../core/sign-request.ts';
import { SERVICE_RECALLER } from '../core/failed-proof.ts';
import { groupOf, firstGroup } from '../core/signing-order.ts';
import type {
  CertificateFacts,
  FailedProofFacts,
  OutcomeFacts,
  SignerChangeFacts,
  SignerFacts,
} from './certificate-facts.ts';

/**
 * Evidence an act may carry beyond what this module's types name: the client's address and browser on VIEWED,
 * SIGNED, DECLINED and RECALLED entries, and the document hash a signer was shown on SIGNED. Read defensively (only
 * strings count), so a request stored before they were recorded reads as one without them.
 */
interface EntryEvidence {
  ip?: unknown;
  userAgent?: unknown;
  documentSha256?: unknown;
  proof?: unknown;
}

/** The document a request may carry, as stored with it; read defensively for the same reason. */
interface StoredDocument {
  name?: unknown;
  sha256?: unknown;
  size?: unknown;
  pages?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;

/** `ip` and `userAgent` of an entry, each only when it holds one. */
const clientOf = (entry: HistoryEntry | undefined): { ip?: string; userAgent?: string } => {
  const evidence = (entry ?? {}) as EntryEvidence;
  const ip = text(evidence.ip);
  const userAgent = text(evidence.userAgent);
  return { ...(ip === undefined ? {} : { ip }), ...(userAgent === undefined ? {} : { userAgent }) };
};

const lastEntry = (
  history: readonly HistoryEntry[],
  matches: (entry: HistoryEntry) => boolean,
): HistoryEntry | undefined => history.filter(matches).at(-1);

const documentFacts = (request: SignRequest): CertificateFacts['document'] => {
  const stored = (request as SignRequest & { document?: StoredDocument }).document;
  const sha256 = text(stored?.sha256);
  if (stored === undefined || sha256 === undefined) return null;
  return {
    name: text(stored.name) ?? request.documentName,
    sha256,
    size: count(stored.size) ?? 0,
    pages: count(stored.pages) ?? 0,
  };
};

const signerFacts = (request: SignRequest, signerId: string, signer: Signer): SignerFacts => {
  const declined = request.decline?.signerId === signerId ? request.decline : undefined;
  const ofSigner = (event: HistoryEntry['event']) =>
    lastEntry(request.history, (entry) => entry.event === event && entry.signerId === signerId);
  const signed = ofSigner('SIGNED');
  // The client of the signer's last act: the signature or the decline, else the view when that is all there is.
  const lastAct = signed ?? ofSigner('DECLINED') ?? ofSigner('VIEWED');
  const shown = text((signed as EntryEvidence | undefined)?.documentSha256);
  const proofGiven = text((lastAct as EntryEvidence | undefined)?.proof);
  const proofAsked = text((signer as { proof?: { kind?: unknown } }).proof?.kind);
  const failedProofs: FailedProofFacts[] = request.history
    .filter((entry) => entry.event === 'AUTH_FAILED' && entry.signerId === signerId)
    .map((entry) => ({ at: entry.at, ...clientOf(entry) }));
  return {
    name: signer.name,
    email: signer.email,
    status: declined ? 'DECLINED' : signer.status,
    ...signingOrderOf(request, signerId, signer),
    ...(signer.signedName === undefined ? {} : { typedName: signer.signedName }),
    ...(signer.viewedAt === undefined ? {} : { viewedAt: signer.viewedAt }),
    ...(signer.signedAt === undefined ? {} : { signedAt: signer.signedAt }),
    ...(declined ? { declinedAt: declined.at, declineReason: declined.reason } : {}),
    ...clientOf(lastAct),
    ...(shown === undefined ? {} : { documentSha256Shown: shown }),
    ...(proofAsked === undefined ? {} : { proofAsked }),
    ...(proofGiven === undefined ? {} : { proofGiven }),
    ...(failedProofs.length === 0 ? {} : { failedProofs }),
    ...(signer.failedProofsTotal ? { failedProofCount: signer.failedProofsTotal } : {}),
  };
};

/**
 * The signer's place in the signing order, on a request that has one (more than one group): their group, and when
 * it was invited: the first group when the request was created, a later one by the INVITED entry naming it.
 */
const signingOrderOf = (request: SignRequest, signerId: string, signer: Signer): Pick<SignerFacts, 'signingOrder'> => {
  const groups = new Set(Object.values(request.signers).map(groupOf));
  if (groups.size < 2) return {};
  const order = groupOf(signer);
  const invitedAt =
    order === firstGroup(request)
      ? request.createdAt
      : request.history.find((entry) => entry.event === 'INVITED' && entry.signerIds?.includes(signerId))?.at;
  return { signingOrder: { order, ...(invitedAt === undefined ? {} : { invitedAt }) } };
};

/**
 * Each SIGNER_CHANGED and SIGNER_REMOVED entry as a line: the signer before (a former signer, kept on the request)
 * and, for a change, after (current, or former again when changed since). An entry whose signer is not found (it
 * cannot be: former signers are never dropped) is left out rather than shown blank.
 */
const signerChangeFacts = (request: SignRequest): SignerChangeFacts[] => {
  const person = (signerId: string | undefined) => {
    const found = signerId === undefined ? undefined : (request.signers[signerId] ?? request.formerSigners?.[signerId]);
    return found && { name: found.name, email: found.email };
  };
  return request.history.flatMap((entry): SignerChangeFacts[] => {
    const from = person(entry.signerId);
    if (!from) return [];
    if (entry.event === 'SIGNER_REMOVED') return [{ kind: 'removed', at: entry.at, from }];
    const to = entry.event === 'SIGNER_CHANGED' ? person(entry.newSignerId) : undefined;
    return to ? [{ kind: 'changed', at: entry.at, from, to }] : [];
  });
};

const outcomeFacts = (request: SignRequest, issuedAt: string): OutcomeFacts => {
  const at = (event: HistoryEntry['event'], otherwise: string) =>
    lastEntry(request.history, (entry) => entry.event === event)?.at ?? otherwise;
  const { recall, decline } = request;
  switch (statusAt(request, issuedAt)) {
    case 'COMPLETED':
      return { kind: 'completed', at: at('COMPLETED', request.updatedAt) };
    case 'CANCELLED':
      if (!recall) return { kind: 'open' };
      return {
        kind: 'recalled',
        by: recall.by,
        at: recall.at,
        reason: recall.reason,
        ...clientOf(lastEntry(request.history, (entry) => entry.event === 'RECALLED')),
        ...(recall.by === SERVICE_RECALLER ? { byService: true as const } : {}),
      };
    case 'DECLINED': {
      if (!decline) return { kind: 'open' };
      const by = request.signers[decline.signerId]?.name ?? decline.signerId;
      return { kind: 'declined', by, at: decline.at, reason: decline.reason };
    }
    case 'EXPIRED':
      // Past its deadline before the expiry job has run: expired when the deadline passed.
      return { kind: 'expired', at: at('EXPIRED', request.expiresAt ?? request.updatedAt) };
    default:
      return { kind: 'open' };
  }
};

/**
 * What a request's certificate states, from the stored request and its history, as it stands at `issuedAt`: an
 * open request past its deadline reads as expired, as every reader of it does (statusAt).
 */
export const requestCertificateFacts = (request: SignRequest, sender: string, issuedAt: string): CertificateFacts => ({
  requestNo: request.requestNo,
  signRequestId: request.id,
  document: documentFacts(request),
  sender,
  createdAt: request.createdAt,
  signers: signersInOrder(request).map(([signerId, signer]) => signerFacts(request, signerId, signer)),
  signerChanges: signerChangeFacts(request),
  outcome: outcomeFacts(request, issuedAt),
  issuedAt,
});
