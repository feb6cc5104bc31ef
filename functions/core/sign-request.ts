/** The shape of a sign request as the domain sees it: one record is the whole truth of a request. */
export const SignRequestStatus = {
  Pending: 'PENDING',
  PartiallySigned: 'PARTIALLY_SIGNED',
  Completed: 'COMPLETED',
  Cancelled: 'CANCELLED',
  Expired: 'EXPIRED',
  /** A signer declined: closed for everyone, like a recall, but by a signer (see core/decline.ts). */
  Declined: 'DECLINED',
} as const;
export type SignRequestStatus = (typeof SignRequestStatus)[keyof typeof SignRequestStatus];

/** The states from which a request may still be recalled or signed. */
export const OPEN_STATUSES: readonly SignRequestStatus[] = [
  SignRequestStatus.Pending,
  SignRequestStatus.PartiallySigned,
];

export const SignerStatus = { Pending: 'PENDING', Signed: 'SIGNED' } as const;
export type SignerStatus = (typeof SignerStatus)[keyof typeof SignerStatus];

/** The proof a signer must give before seeing or acting on the request (core/signer-proof.ts). */
export type ProofKind = 'ACCESS_CODE' | 'EMAIL';

/**
 * What a signer must prove, as stored: an access code's slow hash (never the code), or that they read a one-time
 * code mailed to their address. Internal: never in a read, an event, a log or an error.
 */
export type SignerProof = { kind: 'ACCESS_CODE'; hash: string } | { kind: 'EMAIL' };

export interface Signer {
  name: string;
  email: string;
  /** Position in the order the app gave; the store keeps signers in a map, which has no order. */
  order: number;
  /**
   * The signer's group in the signing order (the API's `order`): the lowest group with a pending signer signs
   * first, a group's signers in parallel (core/signing-order.ts). Absent: 1, as on requests made before it.
   */
  signingOrder?: number;
  status: SignerStatus;
  /** sha256 of the signing secret; the secret itself is never stored. */
  tokenHash: string;
  viewedAt?: string;
  signedAt?: string;
  signedName?: string;
  /** When this signer was last reminded (POST .../remind or the automatic reminders): at most once an hour. */
  lastRemindedAt?: string;
  /**
   * The token of the call whose signature landed: a retried write that finds it knows the signature is its own.
   * Internal: never part of an answer or an event.
   */
  callId?: string;
  /** The proof this signer gives before seeing the document or acting (absent: holding the link is enough). */
  proof?: SignerProof;
  /** The current one-time code mailed to the signer (`proof.kind` EMAIL): its hash, expiry and sends. Internal. */
  emailCode?: EmailCode;
  /** Wrong proofs in a row (a right one sets it back to 0); every fifth locks the signer (core/signer-lock.ts). */
  failedProofs?: number;
  /** Wrong proofs in all, never reset: what `recallAfterFailedProofs` counts. */
  failedProofsTotal?: number;
  /**
   * The call whose wrong proof was counted last: a retried write that finds it knows the count is its own (the
   * history need not hold it: core/failed-proof.ts MAX_RECORDED_FAILED_PROOFS). Internal.
   */
  failedProofCallId?: string;
  /** Until when this signer's link refuses every proof and act (429), after too many wrong proofs in a row. */
  lockedUntil?: string;
}

/**
 * The one-time code last mailed to a signer whose proof is EMAIL: only a hash of it, until when it is good, and
 * the times of the last sends (at most EMAIL_CODE_SENDS_PER_HOUR of them, each written over the oldest once it is
 * an hour old), which the send's rule counts.
 */
export interface EmailCode {
  hash: string;
  expiresAt: string;
  sentAt: string[];
}

/**
 * A signer who is no longer one: replaced by PATCH .../signers/{signerId} (under a new id, `replacedBy`) or removed
 * by DELETE. Kept on the request so that their old link answers 410 SIGNING_LINK_REPLACED (its secret still checked
 * against `tokenHash`, so a forged token stays 404) and the certificate can name who was changed. Never in `signers`.
 */
export interface FormerSigner {
  name: string;
  email: string;
  tokenHash: string;
  signingOrder?: number;
  /** The new signerId this signer was replaced by. */
  replacedBy?: string;
  replacedAt?: string;
  removedAt?: string;
}

export interface RecallRecord {
  reason: string;
  by: string;
  at: string;
  /** False when the recall asked that nobody be told (`notifySigners: false`); absent means tell everyone. */
  notifySigners?: false;
  /**
   * The token of the call that recalled: a retried write that finds it knows the recall is its own (absent on
   * requests recalled before it was written). Internal: never part of an answer or an event.
   */
  callId?: string;
}

/**
 * The claim of a resend, on the request resent: the replacement's id, number and creation time, and its content as
 * resolved when the resend was claimed, so that any later call can create exactly that replacement if the claiming
 * call stopped before it did (core/resend.ts). `callId` marks the claim as that call's. Internal, but for the id.
 */
export interface ResendRecord {
  signRequestId: string;
  requestNo: string;
  at: string;
  callId: string;
  documentName: string;
  message?: string;
  requestedBy?: string;
  expiresAt?: string;
  /** The mail options carry over as they were given to the request resent; a resend body cannot change them. */
  senderEmail?: string;
  sendInvitations?: false;
  remindEveryDays?: number;
  /** Each signer's group and proof carry over as stored (an access code's hash, never a code). */
  signers: { signerId: string; name: string; email: string; signingOrder?: number; proof?: SignerProof }[];
  recallAfterFailedProofs?: number;
}

/** A signer's refusal to sign, which closes the request; `callId` as for a recall, internal. */
export interface DeclineRecord {
  signerId: string;
  reason: string;
  at: string;
  callId?: string;
}

export type HistoryEvent =
  | 'CREATED'
  | 'VIEWED'
  | 'SIGNED'
  | 'COMPLETED'
  | 'RECALLED'
  | 'EXPIRED'
  | 'DECLINED'
  | 'REMINDED'
  /** The signed document was sealed and stored (`signedDocument`): no change of state, but announced. */
  | 'SIGNED_DOCUMENT_READY'
  /** The next group of the signing order (`signerIds`) was invited: its group before it had all signed. */
  | 'INVITED'
  /** A signer who had not acted was replaced (`signerId` the old id, `newSignerId`, `changed` the fields). */
  | 'SIGNER_CHANGED'
  /** A signer who had not acted was removed (`signerId`). */
  | 'SIGNER_REMOVED'
  /** A wrong signer proof (signerId, with the caller's evidence): recorded, never announced. */
  | 'AUTH_FAILED';

export interface HistoryEntry {
  at: string;
  event: HistoryEvent;
  signerId?: string;
  by?: string;
  /** REMINDED: the signers this reminder went to; INVITED: the group invited. */
  signerIds?: string[];
  /**
   * REMINDED: the token of the call whose reminder this is, so a retried write that finds it knows the reminder is
   * its own, whatever landed after it. Internal: never part of an answer or an event.
   */
  callId?: string;
  /**
   * VIEWED, SIGNED, DECLINED, RECALLED: where the act came from (core/evidence.ts), when the edge knew it. Entries
   * written before these fields existed have none.
   */
  ip?: string;
  userAgent?: string;
  /** SIGNED: the SHA-256 (hex) of the document the signer was shown, when the request carries a document. */
  documentSha256?: string;
  /** SIGNER_CHANGED: the id of the signer who replaced `signerId`. */
  newSignerId?: string;
  /**
   * SIGNER_CHANGED: the API names of the fields whose value changed (`name`, `email`, `order`, `proof`); empty: only
   * a new link.
   */
  changed?: ChangeableSignerField[];
  /** VIEWED, SIGNED, DECLINED: the proof the signer gave (absent: none was asked). */
  proof?: ProofKind;
}

/** The fields of a signer PATCH .../signers/{signerId} changes, by their API names. */
export type ChangeableSignerField = 'name' | 'email' | 'order' | 'proof';

/** The PDF a request carries, as the service checked it, and where its bytes are kept (the documents bucket). */
export interface StoredDocument {
  /** The file name the app gave it. */
  name: string;
  /** SHA-256 of the exact bytes, lower-case hex, computed by the service. */
  sha256: string;
  size: number;
  pages: number;
  /** The object's key in the documents bucket. */
  key: string;
}

/**
 * The signed document: the original's pages (when the request holds one) followed by the certificate's, sealed
 * once, by the consumer of the completion event, and kept in the documents bucket beside the original.
 */
export interface SignedDocumentRecord {
  /** SHA-256 of the sealed file's exact bytes, lower-case hex. */
  sha256: string;
  size: number;
  /** The object's key in the documents bucket (signedDocumentKey in documents/document-keys.ts). */
  key: string;
  /** When it was sealed (ISO 8601). */
  madeAt: string;
}

export interface SignRequest {
  id: string;
  appId: string;
  requestNo: string;
  status: SignRequestStatus;
  documentName: string;
  /** The PDF itself, when the request was given one (absent: it names a document it does not hold). */
  document?: StoredDocument;
  /** Set once the request completed and its signed document was sealed and stored. */
  signedDocument?: SignedDocumentRecord;
  message?: string;
  requestedBy?: string;
  /** The CURRENT signers only: every reader of `signers` sees who may sign now. */
  signers: Record<string, Signer>;
  /** Signers replaced or removed while the request was open (see FormerSigner); absent until one is. */
  formerSigners?: Record<string, FormerSigner>;
  signerCount: number;
  signedCount: number;
  /**
   * The group of the signing order whose turn it is (core/signing-order.ts), and how many of its signers have not
   * signed yet: the one signature write that leaves none invites the next group (core/rules.ts `signatureRule`).
   * Absent on requests made before signing order existed, where every signer may sign.
   */
  currentOrder?: number;
  currentGroupPending?: number;
  recall?: RecallRecord;
  /** Set once this request is resent (it is then never resent again). */
  resend?: ResendRecord;
  /** The request this one was resent from. */
  replaces?: string;
  decline?: DeclineRecord;
  history: HistoryEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
  expiresAt?: string;
  /** Who sent the request, told of its recall, decline and completion; absent: nobody but the signers. */
  senderEmail?: string;
  /** False when the app delivers the signing links itself (`sendInvitations: false`); absent means send them. */
  sendInvitations?: false;
  /** Remind the signers who have not signed every this many days, until the request closes. */
  remindEveryDays?: number;
  /** When the automatic reminders next fall due (only with remindEveryDays, while open). */
  nextReminderAt?: string;
  /** The service recalls the request when one signer has given this many wrong proofs in all. */
  recallAfterFailedProofs?: number;
}

/**
 * The versions an If-Match header names, compared strongly (RFC 9110): a weak tag, or one that names no version,
 * matches nothing. Undefined means no precondition (no header, or `*`, which any existing request matches).
 */
export type ExpectedVersions = readonly number[];

export const isOpen = (status: SignRequestStatus): boolean => OPEN_STATUSES.includes(status);

/** Signers in the order the app listed them. */
export const signersInOrder = (request: SignRequest): [string, Signer][] =>
  Object.entries(request.signers).sort(([, a], [, b]) => a.order - b.order);

/**
 * The time a write stamps that must come after the request's last change: `now`, or 1 ms after that change when
 * this clock is behind it. A write refused only for its time is stamped so on its next attempt, at once, instead
 * of retrying blindly with a clock that may still be behind (clock skew between containers).
 */
export const timeAfterLastChange = (request: SignRequest, now: string): string =>
  new Date(Math.max(Date.parse(now), Date.parse(request.updatedAt) + 1)).toISOString();

/**
 * The status a reader sees at `now`: an open request past its deadline is EXPIRED, exactly as signing and recall
 * already treat it; the stored item follows when the expiry job runs. One signed by all is not: it is completed
 * in all but the label.
 */
export const statusAt = (
  request: Pick<SignRequest, 'status' | 'signedCount' | 'signerCount' | 'expiresAt'>,
  now: string,
): SignRequestStatus =>
  isOpen(request.status) &&
  request.signedCount < request.signerCount &&
  request.expiresAt !== undefined &&
  Date.parse(request.expiresAt) <= Date.parse(now)
    ? SignRequestStatus.Expired
    : request.status;
