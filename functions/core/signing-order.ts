import { evaluate } from './conditions.ts';
import { signersTurn } from './rules.ts';
import { SignerStatus, type SignRequest, type Signer } from './sign-request.ts';

/**
 * The signing order: signers carry a group (`signingOrder`, the API's `order`, absent = 1); the lowest group that
 * still has a pending signer is the current one, whose signers alone are invited and may sign or decline, in
 * parallel. The request keeps the current group and how many of it are pending (`currentOrder`,
 * `currentGroupPending`), so that the one conditional write of a signature decides the turn, and the signature
 * that leaves its group done invites the next group in that same write (core/rules.ts `signatureRule`).
 */

/** A signer's group: 1 when none was given, and on requests made before signing order existed. */
export const groupOf = (signer: Pick<Signer, 'signingOrder'>): number => signer.signingOrder ?? 1;

type Signers = Readonly<Record<string, Signer>>;

const pendingGroups = (signers: Signers): number[] =>
  Object.values(signers)
    .filter((signer) => signer.status === SignerStatus.Pending)
    .map(groupOf);

/** The lowest group that still has a pending signer; undefined when every signer has signed. */
export const currentGroup = (request: Pick<SignRequest, 'signers'>): number | undefined => {
  const pending = pendingGroups(request.signers);
  return pending.length > 0 ? Math.min(...pending) : undefined;
};

/**
 * Whether it is this signer's turn: their group is the request's current one. The very condition the store writes
 * a signature, a decline or a first view on (core/rules.ts `signersTurn`), so the page and the write agree.
 */
export const isSignersTurn = (request: SignRequest, signerId: string): boolean =>
  request.signers[signerId] !== undefined && evaluate(signersTurn(signerId), request);

/** The signers of one group, in the order the app listed them. */
export const groupMembers = (signers: Signers, group: number): string[] =>
  Object.entries(signers)
    .filter(([, signer]) => groupOf(signer) === group)
    .sort(([, a], [, b]) => a.order - b.order)
    .map(([signerId]) => signerId);

/** The group invited when the request was made: its lowest. */
export const firstGroup = (request: Pick<SignRequest, 'signers'>): number =>
  Math.min(...Object.values(request.signers).map(groupOf));

export interface OrderAttributes {
  currentOrder: number;
  currentGroupPending: number;
}

/**
 * The request-level attributes of the signing order, computed from its signers: the current group and how many
 * of it are pending; when everyone has signed, the last group with none pending. Initiate writes them; a change
 * of the signers (written on the version it read) may rewrite them wholesale from the signers it leaves.
 */
export const orderAttributes = (signers: Signers): OrderAttributes => {
  const pending = pendingGroups(signers);
  if (pending.length === 0)
    return { currentOrder: Math.max(1, ...Object.values(signers).map(groupOf)), currentGroupPending: 0 };
  const currentOrder = Math.min(...pending);
  return { currentOrder, currentGroupPending: pending.filter((group) => group === currentOrder).length };
};

/**
 * Whether a signer was reached: invited already (their group is the current one or an earlier one). A recall or a
 * decline stops the chain, and its notice goes to those reached only. On a request from before signing order,
 * everyone was.
 */
export const wasReached = (request: SignRequest, signer: Signer): boolean =>
  request.currentOrder === undefined || groupOf(signer) <= request.currentOrder;

/** A signature's step in the signing order, planned from the request as read (see core/rules.ts `GroupGuess`). */
export interface GroupStep {
  /** No other signer of this signature's group is pending: it completes the group. */
  completes: boolean;
  /** The group it then invites, in the same write: none when it was the last group. */
  next?: { order: number; signerIds: string[] };
  /** The version read, which the inviting write lands on only. */
  readVersion?: number;
}

/**
 * The step a signature by `signerId` takes, from the request as read; undefined on a request from before signing
 * order (it keeps no group count, and every signer's turn is now).
 */
export const groupStep = (request: SignRequest, signerId: string): GroupStep | undefined => {
  if (request.currentOrder === undefined || request.currentGroupPending === undefined) return undefined;
  const signer = request.signers[signerId];
  const others = Object.entries(request.signers).filter(([id]) => id !== signerId);
  const group = signer ? groupOf(signer) : request.currentOrder;
  const completes = !others.some(([, other]) => other.status === SignerStatus.Pending && groupOf(other) === group);
  if (!completes) return { completes };
  const pendingOthers = Object.fromEntries(others.filter(([, other]) => other.status === SignerStatus.Pending));
  const next = currentGroup({ signers: pendingOthers });
  if (next === undefined) return { completes };
  return {
    completes,
    next: { order: next, signerIds: groupMembers(pendingOthers, next) },
    readVersion: request.version,
  };
};
