import {
  and,
  attr,
  eq,
  exists,
  gt,
  inList,
  itemExists,
  le,
  lt,
  ne,
  not,
  notExists,
  or,
  value,
  type Condition,
} from './conditions.ts';
import { EMAIL_CODE_SENDS_PER_HOUR, secondsUntilNextSend, windowStartBefore } from './email-code-limits.ts';
import { refusals, type DomainError } from './errors.ts';
import { guard, refuse, type Guard, type Rule, type Failure } from './guards.ts';
import { lockRefusal } from './signer-lock.ts';
import { OPEN_STATUSES, SignRequestStatus, SignerStatus, type ExpectedVersions } from './sign-request.ts';

/**
 * Every state rule of a sign request, each written once: the store writes on these guards (compiled by
 * store/expressions.ts) and core explains a refused write by them (guards.ts). The order of a rule's guards is
 * the precedence of its refusals.
 */

/**
 * The statuses a request may be corrected and resent from: closed without being completed. A status that joins
 * them needs only this line: the claim's rule below is built from it.
 */
export const RESENDABLE_STATUSES: readonly SignRequestStatus[] = [
  SignRequestStatus.Cancelled,
  SignRequestStatus.Expired,
  // A declined request is the commonest one to correct: the signer said what was wrong.
  SignRequestStatus.Declined,
];

const STATUS = attr('status');
const APP_ID = attr('appId');
const VERSION = attr('version');
const SIGNED_COUNT = attr('signedCount');
const SIGNER_COUNT = attr('signerCount');
const EXPIRES_AT = attr('expiresAt');
const UPDATED_AT = attr('updatedAt');
const CURRENT_ORDER = attr('currentOrder');
const CURRENT_GROUP_PENDING = attr('currentGroupPending');
const signerAttr = (signerId: string, name: string) => attr('signers', signerId, name);
const isNotStatus = (status: SignRequestStatus) => ne(STATUS, value(status));

const STILL_OPEN = inList(STATUS, OPEN_STATUSES);
/** Not yet signed by all: once it is, it is completed, and nothing else may land. */
const NOT_FULLY_SIGNED = lt(SIGNED_COUNT, SIGNER_COUNT);
/** Times compare as strings, in core as in DynamoDB: see `compared` in conditions.ts. */
const beforeDeadline = (at: string) => or(notExists(EXPIRES_AT), gt(EXPIRES_AT, value(at)));
/** No write lands before the last one in time, so the history, and every time in it, only moves forward. */
const afterLastChange = (at: string) => guard<Failure>('after last change', le(UPDATED_AT, value(at)), 'retry');

const requestExists = (refusal: () => DomainError) => guard('exists', itemExists(), refuse(refusal));
const ownedBy = (appId: string) => guard('own', eq(APP_ID, value(appId)), refuse(refusals.signRequestNotFound));
/**
 * If-Match folded into the write, so a conditional recall is still one store call. No version is 0: a list of
 * tags none of which names a version (weak ones, `"abc"`) refuses, as a stale one does.
 */
const ifMatch = (expected: ExpectedVersions | undefined): Guard<Failure>[] =>
  expected === undefined
    ? []
    : [guard('if-match', inList(VERSION, expected.length > 0 ? expected : [0]), 'precondition')];

export interface RecallGuardInput {
  appId: string;
  at: string;
  expectedVersions?: ExpectedVersions | undefined;
}

/**
 * The state a request must be in for the app to change it: open, not signed by all, before its deadline. Each
 * refusal is the recall's, so an app meets the same 409s whether it recalls or changes a signer.
 */
const stillRecallable = (at: string): Guard<Failure>[] => [
  guard('not cancelled', isNotStatus(SignRequestStatus.Cancelled), refuse(refusals.alreadyCancelled)),
  guard('not completed', isNotStatus(SignRequestStatus.Completed), refuse(refusals.alreadyCompleted)),
  guard('not expired', isNotStatus(SignRequestStatus.Expired), refuse(refusals.expiredNotRecallable)),
  guard('not declined', isNotStatus(SignRequestStatus.Declined), refuse(refusals.alreadyDeclined)),
  guard('not signed by all', NOT_FULLY_SIGNED, refuse(refusals.alreadyCompleted)),
  guard('before deadline', beforeDeadline(at), refuse(refusals.expiredNotRecallable)),
  afterLastChange(at),
];

/**
 * A recall lands on the app's own request (another app's answers as missing, so a caller cannot learn it
 * exists), at a version If-Match names (412 before any state's refusal, as RFC 9110 evaluates preconditions
 * before the method), open, not signed by all (completed in all but the label), before its deadline (expired to
 * its signers; the expiry job is only catching up) and after its last change.
 */
export const recallRule = ({ appId, at, expectedVersions }: RecallGuardInput): Rule<Failure> => [
  requestExists(refusals.signRequestNotFound),
  ownedBy(appId),
  ...ifMatch(expectedVersions),
  ...stillRecallable(at),
];

export interface SignerEditGuardInput {
  appId: string;
  signerId: string;
  at: string;
  /** The version the change was planned from: it lands on that version only (every write moves it). */
  version: number;
  expectedVersions?: ExpectedVersions | undefined;
}

/**
 * A signer the app names: a current one (a former one answers as replaced, naming its successor, or as unknown
 * when removed), who has neither signed nor declined (a view is no act).
 */
const signerEditable = (signerId: string): Guard<Failure>[] => [
  guard(
    'signer exists',
    exists(attr('signers', signerId)),
    refuse((current) => {
      const replacedBy = current?.formerSigners?.[signerId]?.replacedBy;
      return replacedBy === undefined ? refusals.signerNotFound() : refusals.signerReplaced(replacedBy);
    }),
  ),
  guard('signer has not signed', signerPending(signerId), refuse(refusals.signerAlreadyActed)),
  guard(
    'signer has not declined',
    not(eq(attr('decline', 'signerId'), value(signerId))),
    refuse(refusals.signerAlreadyActed),
  ),
];

/**
 * Written on the version planned from, so the change may rewrite what it derives from the signers read (the
 * signer count, the former signers, and the signing order's state once it has one) wholesale: any write between
 * the read and this one (a signature, a view, another change) moves the version and makes it plan again.
 */
const onVersionRead = (version: number): Guard<Failure> => guard('version read', eq(VERSION, value(version)), 'retry');

/**
 * A change of the signers (PATCH or DELETE .../signers/{signerId}), the rule both are written on, with what each
 * adds before the version guard: the app's own request (404), at a version If-Match names
 * (412), a current signer who has not acted (404, 409 SIGNER_ALREADY_ACTED), on a request the app could still
 * recall (its 409s), on the version read and after the last change. So of a signature and a change of the same
 * signer, exactly one lands: the signature makes the signer signed, the change takes the signer out of `signers`.
 */
const signerEditRule = (
  { appId, signerId, at, version, expectedVersions }: SignerEditGuardInput,
  ...ownGuards: Guard<Failure>[]
): Rule<Failure> => [
  requestExists(refusals.signRequestNotFound),
  ownedBy(appId),
  ...ifMatch(expectedVersions),
  ...signerEditable(signerId),
  ...stillRecallable(at),
  ...ownGuards,
  onVersionRead(version),
];

/** Changing a signer (PATCH .../signers/{signerId}): the edit's guards alone. */
export const signerChangeRule = (input: SignerEditGuardInput): Rule<Failure> => signerEditRule(input);

/** Removing a signer (DELETE .../signers/{signerId}): the change's guards, and one signer at least must remain. */
export const signerRemovalRule = (input: SignerEditGuardInput): Rule<Failure> =>
  signerEditRule(input, guard('not the last signer', gt(SIGNER_COUNT, value(1)), refuse(refusals.lastSigner)));

/**
 * What a signer's link meets first, whatever the signer does: a request recalled, declined or expired (by its
 * status or its deadline) answers 410. `decliner`: the signer declining, told apart when it was they who declined.
 */
const linkAlive = (signerId: string, at: string, decliner?: string): Guard<Failure>[] => [
  requestExists(refusals.signingLinkNotFound),
  guard('signer exists', exists(attr('signers', signerId)), refuse(refusals.signingLinkNotFound)),
  guard(
    'not recalled',
    isNotStatus(SignRequestStatus.Cancelled),
    refuse((current) =>
      refusals.signingCancelled(current?.recall?.at ?? current?.updatedAt ?? '', current?.recall?.reason ?? 'recalled'),
    ),
  ),
  guard(
    'not declined',
    isNotStatus(SignRequestStatus.Declined),
    refuse((current) =>
      decliner !== undefined && current?.decline?.signerId === decliner
        ? refusals.youDeclined()
        : refusals.signingDeclined(),
    ),
  ),
  // A completed request's deadline is spent: its links stay alive past it (they serve the signed document).
  guard(
    'not expired',
    and(isNotStatus(SignRequestStatus.Expired), or(eq(STATUS, value(SignRequestStatus.Completed)), beforeDeadline(at))),
    refuse(refusals.signingExpired),
  ),
];

/**
 * A signer's link as such, with nothing to write: what opening the document behind it meets (recalled, declined or
 * expired, 410; an unknown signer, 404), exactly as opening the link would.
 */
export const linkOpenRule = ({ signerId, at }: { signerId: string; at: string }): Rule<Failure> =>
  linkAlive(signerId, at);

/**
 * The signer is not locked at `at` (too many wrong proofs in a row: core/signer-lock.ts): 429, before any proof
 * or act of theirs, so a signature racing the proof that locks is decided by the store. A signer never locked
 * has no `lockedUntil`.
 */
const signerNotLocked = (signerId: string, at: string): Guard<Failure> =>
  guard(
    'signer not locked',
    or(notExists(signerAttr(signerId, 'lockedUntil')), le(signerAttr(signerId, 'lockedUntil'), value(at))),
    refuse((current) => lockRefusal(current?.signers[signerId], at) ?? refusals.signerLocked(1)),
  );

/** A count of the signer's as the plan read it: absent reads as 0. */
const countAsRead = (signerId: string, name: 'failedProofs' | 'failedProofsTotal', read: number): Condition =>
  read === 0
    ? or(notExists(signerAttr(signerId, name)), eq(signerAttr(signerId, name), value(0)))
    : eq(signerAttr(signerId, name), value(read));

export interface FailedProofGuardInput {
  signerId: string;
  at: string;
  /** The signer's wrong proofs in a row and in all as read, before this one. */
  failedProofs: number;
  failedProofsTotal: number;
  /** This wrong proof reaches the request's `recallAfterFailedProofs`: the same write recalls it. */
  recalls: boolean;
}

/**
 * A wrong proof, counted by one write: on a link alive (a recalled, declined or expired request answers 410
 * first and counts nothing: nothing is served behind it), of a signer not locked, whose counts are still those
 * read (so no wrong proof is lost to another, and exactly the fifth in a row locks), after the last change. One
 * that recalls the request also needs it open and not signed by all, exactly as an app's recall does; a plan
 * proven wrong about either is planned again from what the store found.
 */
export const failedProofRule = ({
  signerId,
  at,
  failedProofs,
  failedProofsTotal,
  recalls,
}: FailedProofGuardInput): Rule<Failure> => [
  ...linkAlive(signerId, at),
  signerNotLocked(signerId, at),
  guard('wrong proofs as read', countAsRead(signerId, 'failedProofs', failedProofs), 'retry'),
  guard('all wrong proofs as read', countAsRead(signerId, 'failedProofsTotal', failedProofsTotal), 'retry'),
  ...(recalls
    ? [guard<Failure>('open', STILL_OPEN, 'retry'), guard<Failure>('not signed by all', NOT_FULLY_SIGNED, 'retry')]
    : []),
  afterLastChange(at),
];

/**
 * A right proof sets the wrong ones in a row back to 0 where no act's own write does (a later open, the
 * document, the page's pass): on a link alive, of a signer not locked, whose count is still the one read. It
 * changes nothing a reader sees, so it moves neither the version nor the time.
 */
export const proofResetRule = ({
  signerId,
  at,
  failedProofs,
}: {
  signerId: string;
  at: string;
  failedProofs: number;
}): Rule<Failure> => [
  ...linkAlive(signerId, at),
  signerNotLocked(signerId, at),
  guard('wrong proofs as read', countAsRead(signerId, 'failedProofs', failedProofs), 'retry'),
];

const signerPending = (signerId: string) => eq(signerAttr(signerId, 'status'), value(SignerStatus.Pending));

/**
 * It is this signer's turn in the signing order: their group is the request's current one (the two compared in the
 * store, so the turn is decided by the very write that acts on it). A request from before signing order has no
 * current group: every signer's turn, as it always was.
 */
export const signersTurn = (signerId: string): Condition =>
  or(notExists(CURRENT_ORDER), eq(CURRENT_ORDER, signerAttr(signerId, 'signingOrder')));

const turnGuard = (signerId: string): Guard<Failure> =>
  guard('signer’s turn', signersTurn(signerId), refuse(refusals.notYourTurn));

/** The signer's own refusals after the link's: they signed already (409), or everyone has (409). */
const signerMayAct = (signerId: string): Guard<Failure>[] => [
  guard('signer pending', signerPending(signerId), refuse(refusals.alreadySigned)),
  guard(
    'not completed',
    and(isNotStatus(SignRequestStatus.Completed), NOT_FULLY_SIGNED),
    refuse(refusals.signingCompleted),
  ),
];

/** A signature's guess about its group of the signing order (see GroupStep in core/signing-order.ts). */
interface GroupGuess {
  /** This signature leaves none of its group pending: `currentGroupPending` is 1, else above 1. */
  completes: boolean;
  /** It then invites the next group, as found at this version: no other change may have landed since. */
  readVersion?: number;
}

export interface SignatureGuardInput {
  signerId: string;
  at: string;
  /** The request's signer count less one (see SignaturePlan). */
  lastButOne: number;
  completes: boolean;
  /** Absent on a request from before signing order, which keeps no group count. */
  group?: GroupGuess | undefined;
}

/**
 * The group guess, planned from the request as read like `completes`: a wrong one is planned again from what the
 * store found. Of two last signatures of a group at once, one leaves one pending, the other then completes the
 * group: so the next group is invited exactly once. The one that invites also lands only on the version it read,
 * so the group it names is the group as it stands (a signer changed meanwhile is planned again).
 */
const groupGuards = (group: GroupGuess | undefined): Guard<Failure>[] => {
  if (group === undefined) return [];
  const count = group.completes
    ? guard<Failure>('completes group as planned', eq(CURRENT_GROUP_PENDING, value(1)), 'retry')
    : guard<Failure>('not last of group as planned', gt(CURRENT_GROUP_PENDING, value(1)), 'retry');
  return group.readVersion === undefined
    ? [count]
    : [count, guard<Failure>('signers as read', eq(VERSION, value(group.readVersion)), 'retry')];
};

/**
 * A signature: the link's and the signer's refusals, then the plan's guess about being last (`signedCount` below
 * the last-but-one for a partial signature, exactly it for the completing one): a wrong guess is planned again
 * from what the store found, as is one made against a signer count a removal has changed since. Nothing about other
 * signers, so signers never collide.
 */
export const signatureRule = ({ signerId, at, lastButOne, completes, group }: SignatureGuardInput): Rule<Failure> => [
  ...linkAlive(signerId, at),
  signerNotLocked(signerId, at),
  ...signerMayAct(signerId),
  turnGuard(signerId),
  ...groupGuards(group),
  guard(
    completes ? 'last as planned' : 'not last as planned',
    completes ? eq(SIGNED_COUNT, value(lastButOne)) : lt(SIGNED_COUNT, value(lastButOne)),
    'retry',
  ),
  // The count the guess was made against: a signer removed meanwhile (DELETE .../signers/{id}) may have made this
  // signature the last one, so it is planned again rather than leave a request signed by all but not completed.
  guard('signer count as planned', eq(SIGNER_COUNT, value(lastButOne + 1)), 'retry'),
  afterLastChange(at),
];

/**
 * A decline: refused exactly as a signature would be (a later group's signer too: 409 NOT_YOUR_TURN), and 409
 * ALREADY_DECLINED to the signer who declined.
 */
export const declineRule = ({ signerId, at }: { signerId: string; at: string }): Rule<Failure> => [
  ...linkAlive(signerId, at, signerId),
  signerNotLocked(signerId, at),
  ...signerMayAct(signerId),
  turnGuard(signerId),
  afterLastChange(at),
];

/**
 * A first view: recorded once, for a pending signer of an open request whose turn it is; later opens have nothing
 * to record, and neither has a later group's signer (there is nothing for them to act on yet).
 */
export const firstViewRule = ({ signerId, at }: { signerId: string; at: string }): Rule<Failure> => [
  ...linkAlive(signerId, at),
  signerNotLocked(signerId, at),
  guard('not viewed', notExists(signerAttr(signerId, 'viewedAt')), 'unneeded'),
  guard('signer pending', signerPending(signerId), 'unneeded'),
  guard('signer’s turn', signersTurn(signerId), 'unneeded'),
  guard('open', STILL_OPEN, 'unneeded'),
  afterLastChange(at),
];

export interface CodeSendGuardInput {
  signerId: string;
  at: string;
  /**
   * The place in the signer's `emailCode.sentAt` this send takes: the next free one, or the oldest once it is an
   * hour old. Undefined: the signer has no code yet, and the send writes `emailCode` whole.
   */
  slot: number | undefined;
}

const emailCodeAttr = (signerId: string, ...path: (string | number)[]) =>
  attr('signers', signerId, 'emailCode', ...path);

/** A place in `sentAt` is free for a send at `at`: nobody was sent a code from it, or not within the last hour. */
const sendSlotFree = (signerId: string, slot: number, at: string): Condition =>
  or(
    notExists(emailCodeAttr(signerId, 'sentAt', slot)),
    le(emailCodeAttr(signerId, 'sentAt', slot), value(windowStartBefore(at))),
  );

/**
 * Mailing a signer a one-time code (POST <link>/code): the link's refusals (404, 410), a signer the request asks
 * for a code (409 SIGNING_CODE_NOT_USED), who may still act (409), then fewer than EMAIL_CODE_SENDS_PER_HOUR sends
 * within the last hour (429): `sentAt` holds at most that many times, and a send writes over one an hour old or
 * fills a free place, so under any interleaving no hour holds more sends. The last guard is the plan's guess of
 * that place: a send that lost it to another is planned again from what the store found.
 */
export const codeSendRule = ({ signerId, at, slot }: CodeSendGuardInput): Rule<Failure> => [
  ...linkAlive(signerId, at, signerId),
  guard(
    'asks for a mailed code',
    eq(attr('signers', signerId, 'proof', 'kind'), value('EMAIL')),
    refuse(refusals.signingCodeNotUsed),
  ),
  // A locked signer may not ask for codes either: the lock stops guessing, and a fresh code would be a fresh guess.
  signerNotLocked(signerId, at),
  ...signerMayAct(signerId),
  guard(
    `fewer than ${EMAIL_CODE_SENDS_PER_HOUR} sends in the last hour`,
    or(...Array.from({ length: EMAIL_CODE_SENDS_PER_HOUR }, (_, each) => sendSlotFree(signerId, each, at))),
    refuse((current) =>
      refusals.signingCodeLimit(
        EMAIL_CODE_SENDS_PER_HOUR,
        secondsUntilNextSend(current?.signers[signerId]?.emailCode?.sentAt ?? [], at),
      ),
    ),
  ),
  guard(
    'place as planned',
    slot === undefined
      ? notExists(emailCodeAttr(signerId))
      : and(exists(emailCodeAttr(signerId)), sendSlotFree(signerId, slot, at)),
    'retry',
  ),
];

/**
 * Claiming a resend of the app's own request, once: a stale If-Match first, then one resent already (409 naming
 * its replacement), then the state: resendable by status, or open, not signed by all, and past its deadline
 * (expired for everyone). One signed by all is completed in all but the label.
 */
export const resendClaimRule = ({ appId, at, expectedVersions }: RecallGuardInput): Rule<Failure> => [
  requestExists(refusals.signRequestNotFound),
  ownedBy(appId),
  ...ifMatch(expectedVersions),
  guard(
    'not resent',
    notExists(attr('resend')),
    refuse((current) => refusals.alreadyResent(current?.resend?.signRequestId ?? '')),
  ),
  guard(
    'not completed',
    or(inList(STATUS, RESENDABLE_STATUSES), and(isNotStatus(SignRequestStatus.Completed), NOT_FULLY_SIGNED)),
    refuse(refusals.resendOfCompleted),
  ),
  guard(
    'resendable',
    or(inList(STATUS, RESENDABLE_STATUSES), and(STILL_OPEN, NOT_FULLY_SIGNED, le(EXPIRES_AT, value(at)))),
    refuse(refusals.resendOfOpen),
  ),
];

/**
 * A signer may be reminded while pending, in the current group of the signing order (a later group was never
 * invited), and not reminded since `remindedBefore` (an hour before the reminder): two reminders at once cannot
 * both land for a signer, so a signer is mailed once.
 */
export const signerRemindable = (signerId: string, remindedBefore: string): Condition =>
  and(
    signerPending(signerId),
    signersTurn(signerId),
    or(
      notExists(signerAttr(signerId, 'lastRemindedAt')),
      le(signerAttr(signerId, 'lastRemindedAt'), value(remindedBefore)),
    ),
  );

export interface ReminderGuardInput {
  appId: string;
  /** Whom this write reminds; none when only the next automatic reminder's time moves. */
  signerIds: readonly string[];
  at: string;
  remindedBefore: string;
}

/** The app's own request, open and not signed by all: the guards of every reminder write. */
const remindable = (appId: string): Guard<Failure>[] => [
  requestExists(refusals.signRequestNotFound),
  ownedBy(appId),
  guard(
    'open',
    STILL_OPEN,
    refuse((current) => refusals.requestClosed(current?.status ?? 'closed')),
  ),
  guard(
    'not signed by all',
    NOT_FULLY_SIGNED,
    refuse(() => refusals.requestClosed(SignRequestStatus.Completed)),
  ),
];

/** A reminder that reminds anybody also lands only before the deadline and after the last change. */
export const remindingRule = (appId: string, at: string): Rule<Failure> => [
  ...remindable(appId),
  guard(
    'before deadline',
    beforeDeadline(at),
    refuse(() => refusals.requestClosed(SignRequestStatus.Expired)),
  ),
  afterLastChange(at),
];

/**
 * A reminder lands on the app's own request while it is open and not signed by all; one that reminds anybody
 * also before its deadline and after its last change, and only while each of its signers is remindable (else
 * it is planned again from what the store found: a reminder that got there first leaves nobody due).
 */
export const reminderRule = ({ appId, signerIds, at, remindedBefore }: ReminderGuardInput): Rule<Failure> =>
  signerIds.length === 0
    ? remindable(appId)
    : [
        ...remindingRule(appId, at),
        ...signerIds.map((signerId) =>
          guard<Failure>(`signer ${signerId} remindable`, signerRemindable(signerId, remindedBefore), 'retry'),
        ),
      ];

/** What a refused expiry means to the expiry run. */
export type ExpiryFailure = 'missing' | 'closed' | 'signed by all' | 'not due' | 'retry';

/** Expiry: the recall's write for an open request, not signed by all, whose deadline is at or before `at`. */
export const expiryRule = (at: string): Rule<ExpiryFailure> => [
  guard('exists', itemExists(), 'missing'),
  guard('open', STILL_OPEN, 'closed'),
  guard('not signed by all', NOT_FULLY_SIGNED, 'signed by all'),
  guard('due', le(EXPIRES_AT, value(at)), 'not due'),
  guard('after last change', le(UPDATED_AT, value(at)), 'retry'),
];

/** What a refused index clean-up means: nothing to clean, or the request still belongs in the index. */
export type IndexFailure = 'missing' | 'still indexed';

/** A request leaves the expiry index once closed: the index holds only open requests with a deadline. */
export const leaveExpiryIndexRule: Rule<IndexFailure> = [
  guard('exists', itemExists(), 'missing'),
  guard('closed', not(STILL_OPEN), 'still indexed'),
];

/** A request leaves the reminder index once closed or signed by all: nobody is left to remind. */
export const leaveReminderIndexRule: Rule<IndexFailure> = [
  guard('exists', itemExists(), 'missing'),
  guard('closed', not(and(STILL_OPEN, NOT_FULLY_SIGNED)), 'still indexed'),
];

/** What a refused record of the signed document means to its maker. */
export type SignedDocumentFailure = 'missing' | 'not completed' | 'recorded' | 'retry';

/**
 * The signed document is recorded once, on a completed request that has none: of two makes at once, exactly one
 * record lands, and the other's object is never named by the request. After the last change, as every write.
 */
export const signedDocumentRule = (at: string): Rule<SignedDocumentFailure> => [
  guard('exists', itemExists(), 'missing'),
  guard('completed', eq(STATUS, value(SignRequestStatus.Completed)), 'not completed'),
  guard('not recorded', notExists(attr('signedDocument')), 'recorded'),
  guard('after last change', le(UPDATED_AT, value(at)), 'retry'),
];
