import { refusals } from './errors.ts';
import { refusalOf, type Failure, type Rule } from './guards.ts';
import { newId } from './ids.ts';
import type { SecretFor } from './initiate.ts';
import { signerChangeRule, signerRemovalRule, type SignerEditGuardInput } from './rules.ts';
import {
  SignRequestStatus,
  SignerStatus,
  timeAfterLastChange,
  type ChangeableSignerField,
  type ExpectedVersions,
  type FormerSigner,
  type HistoryEntry,
  type SignRequest,
  type SignRequestStatus as Status,
  type Signer,
  type SignerProof,
} from './sign-request.ts';
import { groupMembers, groupOf, orderAttributes, type OrderAttributes } from './signing-order.ts';
import { sha256Hex } from './signing-token.ts';

/** What the app names in PATCH or DELETE .../signers/{signerId}. */
export interface SignerEditCommand {
  signRequestId: string;
  signerId: string;
  appId: string;
  /** The versions If-Match names, folded into the one write. */
  expectedVersions?: ExpectedVersions;
}

/**
 * PATCH: the fields to change; a field left out keeps its value. `proof` in stored form (an access code already
 * hashed, core/signer-proof.ts), or null to ask none any more.
 */
export interface SignerChangeCommand extends SignerEditCommand {
  changes: { name?: string; email?: string; order?: number; proof?: SignerProof | null };
}

/**
 * The request-level attributes derived from its current signers, which a change of the signers rewrites whole from
 * the signers as changed (its write lands on the version read, so nothing else can have changed them meanwhile).
 * THE ONE SPOT for more: the signing order's state (core/signing-order.ts) joins here, and the store writes every
 * attribute named here.
 */
interface DerivedFromSigners extends Partial<OrderAttributes> {
  signerCount: number;
}

/**
 * A request made before signing order existed keeps no group state (every signer's turn is now): it gains none
 * here either, so its signers still sign at once.
 */
const derivedFrom = (request: SignRequest, signers: Record<string, Signer>): DerivedFromSigners => ({
  signerCount: Object.keys(signers).length,
  ...(request.currentOrder === undefined ? {} : orderAttributes(signers)),
});

/**
 * The INVITED entry a change of the signers owes when it moves the signing order on: the group signing before it
 * has nobody pending left (its last pending signer removed, or moved to a later group), so the next group's
 * signers are invited by this very write, as the signature completing a group invites them. `except`: a new
 * signer, invited by their own SignerChanged mail.
 */
const invitedBy = (
  request: SignRequest,
  derived: DerivedFromSigners,
  signers: Record<string, Signer>,
  at: string,
  except?: string,
): HistoryEntry[] => {
  if (request.currentOrder === undefined || derived.currentOrder === undefined) return [];
  if (derived.currentOrder <= request.currentOrder || derived.currentGroupPending === 0) return [];
  const signerIds = groupMembers(signers, derived.currentOrder).filter(
    (signerId) => signerId !== except && signers[signerId]?.status === SignerStatus.Pending,
  );
  return signerIds.length === 0 ? [] : [{ at, event: 'INVITED', signerIds }];
};

/** The current signers once `signerId` is gone (and `replacement`, if any, stands in its place). */
const signersWithout = (
  signers: Record<string, Signer>,
  signerId: string,
  replacement?: [string, Signer],
): Record<string, Signer> => {
  const { [signerId]: _gone, ...kept } = signers;
  return replacement ? { ...kept, [replacement[0]]: replacement[1] } : kept;
};

/**
 * What the one write of a change or removal sets, planned from the request as read and landing only on that very
 * version (core/rules.ts): so it may rewrite what it derives from the signers wholesale.
 */
interface SignerEditPlan extends SignerEditGuardInput {
  signRequestId: string;
  /** Every former signer, this one added: written whole (the map may not exist yet on the item). */
  formerSigners: Record<string, FormerSigner>;
  /** What the request derives from its signers, as the change leaves them (see DerivedFromSigners). */
  derived: DerivedFromSigners;
  history: HistoryEntry[];
}

export interface SignerChangePlan extends SignerEditPlan {
  newSignerId: string;
  newSigner: Signer;
}

export interface SignerRemovalPlan extends SignerEditPlan {
  /** The removed signer was the last one missing a signature: the same write completes the request. */
  completes: boolean;
  /** The status the request has once the removal lands. */
  status: Status;
}

/** The fields a change names whose value differs from the signer's (a proof given is a change: a new code). */
const changedFields = (old: Signer, changes: SignerChangeCommand['changes']): ChangeableSignerField[] => [
  ...(['name', 'email'] as const).filter((field) => changes[field] !== undefined && changes[field] !== old[field]),
  ...(changes.order !== undefined && changes.order !== groupOf(old) ? (['order'] as const) : []),
  ...(changes.proof !== undefined && (changes.proof !== null || old.proof !== undefined) ? (['proof'] as const) : []),
];

/**
 * A new group must lie within the signers and not before the group signing now: the groups before it have all
 * signed, and moving a signer there would take the turn back from signers already invited.
 */
const refuseOrder = (request: SignRequest, order: number | undefined): void => {
  if (order === undefined) return;
  // A request made before signing order keeps no group state: all its signers sign at once, so no group can be
  // changed on it (1, the group everyone is in, changes nothing).
  if (request.currentOrder === undefined && order !== 1)
    throw refusals.validationFailed([
      { field: 'order', message: 'order cannot be set on this request: it was made before signing order existed' },
    ]);
  const lowest = request.currentOrder ?? 1;
  if (order > request.signerCount)
    throw refusals.validationFailed([
      { field: 'order', message: `order must be at most ${request.signerCount}, the number of signers` },
    ]);
  if (order < lowest)
    throw refusals.validationFailed([
      { field: 'order', message: `order must be at least ${lowest}: the groups before it have all signed` },
    ]);
};

/** Throws the refusal of an edit on `request` by its rule: planned on the version read, nothing else can fail. */
const refuseBy = (rule: Rule<Failure>, request: SignRequest | undefined): void => {
  const refusal = refusalOf(rule, request);
  if (refusal) throw refusal;
};

const guardInput = (
  request: SignRequest | undefined,
  command: SignerEditCommand,
  now: string,
): SignerEditGuardInput => ({
  appId: command.appId,
  signerId: command.signerId,
  at: request ? timeAfterLastChange(request, now) : now,
  version: request?.version ?? 0,
  expectedVersions: command.expectedVersions,
});

/** The signer as a former one: who they were, and the hash their old link is still checked against. */
const formerOf = (signer: Signer, fields: Partial<FormerSigner>): FormerSigner => ({
  name: signer.name,
  email: signer.email,
  tokenHash: signer.tokenHash,
  ...(signer.signingOrder === undefined ? {} : { signingOrder: signer.signingOrder }),
  ...fields,
});

/**
 * A change of a signer who has not acted: they are replaced by a new signer under a new id (and so a new link, its
 * secret derived like initiate's) who keeps their list position, signing group and proof, and the fields not
 * changed; what the old signer did (a view, a reminder) stays theirs. Refused (thrown) by the first guard of
 * `signerChangeRule` the request as read fails. An email another current signer has is
 * refused as initiate refuses one listed twice.
 */
export const planSignerChange = (
  request: SignRequest | undefined,
  command: SignerChangeCommand,
  now: string,
  secretFor: SecretFor,
  newSignerId: string = newId(),
): SignerChangePlan => {
  const input = guardInput(request, command, now);
  refuseBy(signerChangeRule(input), request);
  // The rule held, so the request and its signer are there.
  const current = request as SignRequest;
  const old = current.signers[command.signerId] as Signer;
  const email = command.changes.email;
  if (
    email !== undefined &&
    Object.entries(current.signers).some(
      ([signerId, signer]) => signerId !== command.signerId && signer.email.toLowerCase() === email.toLowerCase(),
    )
  )
    throw refusals.emailTaken();
  refuseOrder(current, command.changes.order);
  const changed = changedFields(old, command.changes);
  const signingOrder = command.changes.order ?? old.signingOrder;
  const proof = command.changes.proof === undefined ? old.proof : command.changes.proof;
  const newSigner: Signer = {
    name: command.changes.name ?? old.name,
    email: email ?? old.email,
    order: old.order,
    status: SignerStatus.Pending,
    tokenHash: sha256Hex(secretFor(command.signRequestId, newSignerId)),
    ...(signingOrder === undefined ? {} : { signingOrder }),
    ...(proof ? { proof } : {}),
  };
  const signers = signersWithout(current.signers, command.signerId, [newSignerId, newSigner]);
  const derived = derivedFrom(current, signers);
  return {
    ...input,
    signRequestId: command.signRequestId,
    newSignerId,
    newSigner,
    formerSigners: {
      ...current.formerSigners,
      [command.signerId]: formerOf(old, { replacedBy: newSignerId, replacedAt: input.at }),
    },
    derived,
    history: [
      { at: input.at, event: 'SIGNER_CHANGED', signerId: command.signerId, newSignerId, changed },
      ...invitedBy(current, derived, signers, input.at, newSignerId),
    ],
  };
};

/**
 * The removal of a signer who has not acted; one signer at least remains. When everyone left has signed, the same
 * write completes the request (its COMPLETED entry, as the completing signature writes it). Refused (thrown) by
 * `signerRemovalRule`, as a change is.
 */
export const planSignerRemoval = (
  request: SignRequest | undefined,
  command: SignerEditCommand,
  now: string,
): SignerRemovalPlan => {
  const input = guardInput(request, command, now);
  refuseBy(signerRemovalRule(input), request);
  const current = request as SignRequest;
  const old = current.signers[command.signerId] as Signer;
  const signers = signersWithout(current.signers, command.signerId);
  const derived = derivedFrom(current, signers);
  const completes = current.signedCount === derived.signerCount;
  return {
    ...input,
    signRequestId: command.signRequestId,
    formerSigners: { ...current.formerSigners, [command.signerId]: formerOf(old, { removedAt: input.at }) },
    derived,
    completes,
    status: completes ? SignRequestStatus.Completed : current.status,
    history: [
      { at: input.at, event: 'SIGNER_REMOVED', signerId: command.signerId },
      ...(completes ? [{ at: input.at, event: 'COMPLETED' as const }] : invitedBy(current, derived, signers, input.at)),
    ],
  };
};

/**
 * The signer a change already made stands for, when `request` shows it: the signer named was replaced by a
 * current signer whose fields are what this change asks. So a PATCH retried after its answer was lost answers as
 * the one that landed (the same new signer and link), whatever If-Match it carries: the change it asks is there.
 */
export const replayedChange = (
  request: SignRequest | undefined,
  command: SignerChangeCommand,
): { signerId: string; signer: Signer } | undefined => {
  if (!request || request.appId !== command.appId) return undefined;
  const replacedBy = request.formerSigners?.[command.signerId]?.replacedBy;
  const signer = replacedBy === undefined ? undefined : request.signers[replacedBy];
  if (replacedBy === undefined || signer === undefined) return undefined;
  const { name, email, order, proof } = command.changes;
  // A new access code is never taken for one already set: its hash cannot be compared with the stored one, so a
  // PATCH naming a code of a signer replaced already is refused as SIGNER_REPLACED, never answered as a replay.
  if (proof?.kind === 'ACCESS_CODE') return undefined;
  // A proof compares by its kind: a code asked again is hashed again, under a salt of its own.
  const asAsked =
    (name === undefined || name === signer.name) &&
    (email === undefined || email === signer.email) &&
    (order === undefined || order === groupOf(signer)) &&
    (proof === undefined || (proof?.kind ?? 'NONE') === (signer.proof?.kind ?? 'NONE'));
  return asAsked ? { signerId: replacedBy, signer } : undefined;
};

/** A removal already made: DELETE retried after its answer was lost answers as the one that landed. */
export const replayedRemoval = (request: SignRequest | undefined, command: SignerEditCommand): boolean =>
  request?.appId === command.appId && request.formerSigners?.[command.signerId]?.removedAt !== undefined;
