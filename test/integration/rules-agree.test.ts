import { PutCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { planDecline } from '../../functions/core/decline.ts';
import { failedProofGuardsOf, planFailedProof, type FailedProofPlan } from '../../functions/core/failed-proof.ts';
import { DomainError, refusals } from '../../functions/core/errors.ts';
import { explain, firstFailing, type Failure, type Rule } from '../../functions/core/guards.ts';
import { recallRefusal } from '../../functions/core/recall.ts';
import { remindedBefore, remindPlan } from '../../functions/core/remind.ts';
import { resendRefusal, resentRefusal } from '../../functions/core/resend.ts';
import { planCodeSend, type CodeSendPlan } from '../../functions/core/email-code.ts';
import {
  codeSendRule,
  declineRule,
  expiryRule,
  firstViewRule,
  leaveExpiryIndexRule,
  leaveReminderIndexRule,
  proofResetRule,
  recallRule,
  reminderRule,
  resendClaimRule,
  signatureRule,
  signerChangeRule,
  signerRemovalRule,
} from '../../functions/core/rules.ts';
import {
  planSignerChange,
  planSignerRemoval,
  type SignerChangePlan,
  type SignerRemovalPlan,
} from '../../functions/core/signer-change.ts';
import {
  SignRequestStatus,
  SignerStatus,
  type ExpectedVersions,
  type SignRequest,
  type Signer,
} from '../../functions/core/sign-request.ts';
import { planFirstView, planSignature, type SignaturePlan } from '../../functions/core/signing.ts';
import { orderAttributes } from '../../functions/core/signing-order.ts';
import { sha256Hex, type SigningToken } from '../../functions/core/signing-token.ts';
import { statusOfKind } from '../../functions/http/error-response.ts';
import { toItem } from '../../functions/store/sign-request-items.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';
import { config, documentClient, signRequests } from '../support/dependencies.ts';

/**
 * The store and core read the same rules (functions/core/rules.ts): the store writes on them, core explains a
 * refusal by them. Here every write runs against generated states written straight into the embedded store, and
 * the store's verdict (landed or refused) must be what core's evaluation of the same guards says, and a refusal
 * the one the workflows would answer. RULE_RUNS states per property (vitest.config.ts: quick in `npm test`, deep
 * in `npm run test:deep`); a failure prints its seed, which RULES_SEED (and RULES_PATH) replay.
 */
const RUNS = Number(process.env.RULE_RUNS ?? 1000);
const replay = {
  ...(process.env.RULES_SEED ? { seed: Number(process.env.RULES_SEED) } : {}),
  ...(process.env.RULES_PATH ? { path: process.env.RULES_PATH } : {}),
};

const OWN_APP = 'APP-OWN';
/** The time every generated write is stamped with; the state's times fall around it and around its hour. */
const AT = '2030-06-01T12:00:00.000Z';
const HOUR = 3_600_000;
const around = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();
const time = fc.constantFrom(...[-2 * HOUR, -HOUR - 1, -HOUR, -HOUR + 1, -1, 0, 1, HOUR].map(around));
const SIGNER_IDS = [ulid(), ulid(), ulid()];
/** A signer the app changed (replaced by the first signer) or removed, in the states that have one. */
const FORMER_ID = ulid();
const secretOf = (signerId: string) => `secret-of-${signerId}`.padEnd(43, 'x');
const ALL_STATUSES = Object.values(SignRequestStatus);

/** Weighted toward states a write lands on, so that landing and each refusal are both met often. */
const mostly = <T>(likely: fc.Arbitrary<T>, other: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: likely, weight: 3 }, { arbitrary: other, weight: 2 });
const OPEN = [SignRequestStatus.Pending, SignRequestStatus.PartiallySigned] as const;

const signerState = fc.record({
  signed: mostly(fc.constant(false), fc.constant(true)),
  viewedAt: fc.option(time, { nil: undefined, freq: 2 }),
  lastRemindedAt: fc.option(time, { nil: undefined, freq: 2 }),
  /** The signer's group of the signing order; sometimes none, as on a signer from before it. */
  group: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 5 }),
  /** Asked for a mailed code (`verify: "email"`), and the times of the codes sent so far, if any. */
  emailProof: mostly(fc.constant(true), fc.constant(false)),
  codesSentAt: fc.option(fc.array(time, { maxLength: 5 }), { nil: undefined, freq: 2 }),
  /** Wrong proofs in a row (in all: a few more), and a lock around AT. */
  failedProofs: fc.option(fc.constantFrom(0, 3, 4, 5), { nil: undefined, freq: 2 }),
  lockedUntil: fc.option(time, { nil: undefined, freq: 3 }),
});

/**
 * The request's signing order: none (a request from before it), or the attributes its signers imply, sometimes
 * another current group or pending count, which the rules must judge alike on both sides.
 */
const orderShape = fc.option(
  fc.record({
    freeCurrentOrder: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 4 }),
    freePending: fc.option(fc.nat(3), { nil: undefined, freq: 4 }),
  }),
  { nil: undefined, freq: 4 },
);

const stateShape = fc.record({
  missing: fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 9 }),
  own: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
  status: mostly(fc.constantFrom(...OPEN), fc.constantFrom(...ALL_STATUSES)),
  signers: fc.array(signerState, { minLength: 1, maxLength: 3 }),
  /** Mostly the signed signers' count; sometimes any count, which the rules must judge alike on both sides. */
  freeSignedCount: fc.option(fc.nat(3), { nil: undefined, freq: 4 }),
  expiresAt: fc.option(mostly(fc.constantFrom(around(HOUR), around(24 * HOUR)), time), { nil: undefined }),
  updatedAt: time,
  version: fc.integer({ min: 1, max: 4 }),
  resent: fc.boolean(),
  declinedBy: fc.nat(2),
  order: orderShape,
  former: fc.option(fc.constantFrom('replaced' as const, 'removed' as const), { nil: undefined }),
  recallAfterFailedProofs: fc.option(fc.constantFrom(1, 5, 7), { nil: undefined, freq: 2 }),
});

type StateShape = typeof stateShape extends fc.Arbitrary<infer T> ? T : never;

const requestOf = (shape: StateShape, id: string): SignRequest => {
  const signers: Record<string, Signer> = Object.fromEntries(
    shape.signers.map((state, order) => {
      const signerId = SIGNER_IDS[order]!;
      const signer: Signer = {
        name: `S${order}`,
        email: `s${order}@example.com`,
        order,
        status: state.signed ? SignerStatus.Signed : SignerStatus.Pending,
        tokenHash: sha256Hex(secretOf(signerId)),
        ...(state.group === undefined ? {} : { signingOrder: state.group }),
        ...(state.viewedAt ? { viewedAt: state.viewedAt } : {}),
        ...(state.lastRemindedAt ? { lastRemindedAt: state.lastRemindedAt } : {}),
        ...(state.emailProof ? { proof: { kind: 'EMAIL' as const } } : {}),
        ...(state.codesSentAt
          ? { emailCode: { hash: 'ab'.repeat(32), expiresAt: around(HOUR), sentAt: state.codesSentAt } }
          : {}),
        ...(state.signed ? { signedAt: around(-2 * HOUR), signedName: `S${order}`, callId: ulid() } : {}),
        ...(state.failedProofs === undefined
          ? {}
          : { failedProofs: state.failedProofs, failedProofsTotal: state.failedProofs + 2 }),
        ...(state.lockedUntil ? { lockedUntil: state.lockedUntil } : {}),
      };
      return [signerId, signer];
    }),
  );
  const signerCount = shape.signers.length;
  const createdAt = around(-3 * HOUR);
  return {
    id,
    appId: shape.own ? OWN_APP : 'APP-OTHER',
    requestNo: 'KAiZEN-1',
    documentName: 'Doc.pdf',
    status: shape.status,
    signers,
    signerCount,
    signedCount: shape.freeSignedCount ?? shape.signers.filter((signer) => signer.signed).length,
    ...(shape.order
      ? {
          currentOrder: shape.order.freeCurrentOrder ?? orderAttributes(signers).currentOrder,
          currentGroupPending: shape.order.freePending ?? orderAttributes(signers).currentGroupPending,
        }
      : {}),
    history: [{ at: createdAt, event: 'CREATED' }],
    version: shape.version,
    createdAt,
    updatedAt: shape.updatedAt,
    ...(shape.expiresAt ? { expiresAt: shape.expiresAt } : {}),
    ...(shape.recallAfterFailedProofs ? { recallAfterFailedProofs: shape.recallAfterFailedProofs } : {}),
    ...(shape.status === SignRequestStatus.Cancelled
      ? { recall: { reason: 'wrong file', by: 'Ops', at: shape.updatedAt, callId: ulid() } }
      : {}),
    ...(shape.status === SignRequestStatus.Declined
      ? {
          decline: {
            signerId: SIGNER_IDS[shape.declinedBy % signerCount]!,
            reason: 'no',
            at: shape.updatedAt,
            callId: ulid(),
          },
        }
      : {}),
    ...(shape.former
      ? {
          formerSigners: {
            [FORMER_ID]: {
              name: 'Former',
              email: 'former@example.com',
              tokenHash: sha256Hex(secretOf(FORMER_ID)),
              ...(shape.former === 'replaced'
                ? { replacedBy: SIGNER_IDS[0]!, replacedAt: around(-2 * HOUR) }
                : { removedAt: around(-2 * HOUR) }),
            },
          },
        }
      : {}),
    ...(shape.resent
      ? {
          resend: {
            signRequestId: ulid(),
            requestNo: 'KAiZEN-2',
            at: shape.updatedAt,
            callId: ulid(),
            documentName: 'Doc.pdf',
            signers: [{ signerId: ulid(), name: 'N', email: 'n@example.com' }],
          },
        }
      : {}),
  };
};

/** If-Match: none, the state's own version (`'current'`), or any list of versions (stale, empty, repeated). */
const expectedVersions = fc.oneof(
  fc.constant(undefined),
  fc.constant('current' as const),
  fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 3 }),
);
const signerIndex = fc.nat(2);

const operation = fc.oneof(
  fc.record({ kind: fc.constant('recall' as const), expected: expectedVersions }),
  fc.record({
    kind: fc.constant('sign' as const),
    signer: signerIndex,
    completes: fc.boolean(),
    /** The guess about its group: none (a request from before signing order), or one, inviting a next group. */
    group: fc.option(
      fc.record({
        completes: fc.boolean(),
        readVersion: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
      }),
      { nil: undefined, freq: 4 },
    ),
  }),
  fc.record({ kind: fc.constant('decline' as const), signer: signerIndex }),
  fc.record({ kind: fc.constant('first view' as const), signer: signerIndex }),
  fc.record({ kind: fc.constant('resend claim' as const), expected: expectedVersions }),
  fc.record({
    kind: fc.constant('remind' as const),
    signers: fc.subarray([0, 1, 2]),
    nextReminder: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('code send' as const),
    signer: signerIndex,
    // The place the plan takes in sentAt, or any place (another send's plan, read earlier), or the first code.
    slot: fc.oneof(fc.constant('planned' as const), fc.constant(undefined), fc.nat(5)),
  }),
  fc.record({
    kind: fc.constant('change signer' as const),
    signer: fc.nat(3),
    expected: expectedVersions,
    read: fc.oneof(fc.constant('current' as const), fc.integer({ min: 1, max: 4 })),
  }),
  fc.record({
    kind: fc.constant('remove signer' as const),
    signer: fc.nat(3),
    expected: expectedVersions,
    read: fc.oneof(fc.constant('current' as const), fc.integer({ min: 1, max: 4 })),
  }),
  fc.record({
    kind: fc.constant('failed proof' as const),
    signer: signerIndex,
    recalls: fc.boolean(),
    /** Planned from counts one off what is stored: another wrong proof or a reset got there first. */
    stale: mostly(fc.constant(false), fc.constant(true)),
  }),
  fc.record({ kind: fc.constant('proof reset' as const), signer: signerIndex, stale: fc.boolean() }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({ kind: fc.constant('leave expiry index' as const) }),
  fc.record({ kind: fc.constant('leave reminder index' as const) }),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** What one operation is, to the store and to core: its write and its rule, and how a workflow explains it. */
interface Run {
  rule: Rule<unknown>;
  write: () => Promise<WriteResult>;
  /** The refusal (or nothing: it would be written again) the workflow answers on `current`; absent: none asked. */
  workflowAnswer?: (current: SignRequest | undefined) => DomainError | undefined;
}

const versionsOf = (expected: 'current' | number[] | undefined, request: SignRequest): ExpectedVersions | undefined =>
  expected === 'current' ? [request.version] : expected;
const signerOf = (request: SignRequest, index: number): string => SIGNER_IDS[index % request.signerCount]!;
/** The signer a change names: a current one by index, or (index 3) the former one, or one never on the request. */
const editedSignerOf = (request: SignRequest, index: number): string =>
  index === 3 ? FORMER_ID : signerOf(request, index);
const secretFor = (_id: string, signerId: string) => secretOf(signerId);
const tokenOf = (id: string, signerId: string): SigningToken => ({
  signRequestId: id,
  signerId,
  secret: secretOf(signerId),
});
/** The refusal a core plan throws, or undefined when it plans a write. */
const thrownBy = (plan: () => unknown): DomainError | undefined => {
  try {
    plan();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
};

const runOf = (op: Operation, request: SignRequest): Run => {
  const { id } = request;
  switch (op.kind) {
    case 'recall': {
      const expected = versionsOf(op.expected, request);
      return {
        rule: recallRule({ appId: OWN_APP, at: AT, expectedVersions: expected }),
        write: () => signRequests.recall(id, OWN_APP, { reason: 'r', by: 'b', at: AT, callId: ulid() }, expected),
        workflowAnswer: (current) => recallRefusal(current, OWN_APP, AT, expected),
      };
    }
    case 'sign': {
      const signerId = signerOf(request, op.signer);
      const invites = op.group?.readVersion === undefined ? undefined : { order: 3, signerIds: [SIGNER_IDS[2]!] };
      const plan: SignaturePlan = {
        signRequestId: id,
        signerId,
        at: AT,
        history: [
          { at: AT, event: 'SIGNED', signerId },
          ...(invites ? [{ at: AT, event: 'INVITED' as const, signerIds: invites.signerIds }] : []),
        ],
        signedName: 'Signer',
        callId: ulid(),
        lastButOne: request.signerCount - 1,
        completes: op.completes,
        ...(op.group
          ? {
              group: {
                completes: op.group.completes,
                ...(invites && op.group.readVersion !== undefined
                  ? { next: invites, readVersion: op.group.readVersion }
                  : {}),
              },
            }
          : {}),
      };
      return {
        rule: signatureRule(plan),
        write: () => signRequests.applySignature(plan),
        workflowAnswer: (current) => thrownBy(() => planSignature(current, tokenOf(id, signerId), AT, undefined)),
      };
    }
    case 'decline': {
      const signerId = signerOf(request, op.signer);
      return {
        rule: declineRule({ signerId, at: AT }),
        write: () => signRequests.decline(id, { signerId, reason: 'no', at: AT, callId: ulid() }),
        workflowAnswer: (current) => thrownBy(() => planDecline(current, tokenOf(id, signerId), AT, 'no')),
      };
    }
    case 'first view': {
      const signerId = signerOf(request, op.signer);
      return {
        rule: firstViewRule({ signerId, at: AT }),
        write: () =>
          signRequests.recordFirstView({
            signRequestId: id,
            signerId,
            at: AT,
            history: [{ at: AT, event: 'VIEWED', signerId }],
          }),
        workflowAnswer: (current) => thrownBy(() => planFirstView(current, tokenOf(id, signerId), AT)),
      };
    }
    case 'resend claim': {
      const expected = versionsOf(op.expected, request);
      const record = { signRequestId: ulid(), requestNo: 'KAiZEN-3', at: AT, callId: ulid(), documentName: 'D.pdf' };
      return {
        rule: resendClaimRule({ appId: OWN_APP, at: AT, expectedVersions: expected }),
        write: () => signRequests.claimResend(id, OWN_APP, { ...record, signers: [] }, expected),
        // As the resend workflow classifies: missing or another app's, resent already (by another call), or not.
        workflowAnswer: (current) => {
          if (!current || current.appId !== OWN_APP) return refusals.signRequestNotFound();
          if (current.resend) return resentRefusal({ ...current, resend: current.resend }, ulid(), expected);
          return resendRefusal(current, expected, AT);
        },
      };
    }
    case 'remind': {
      const signerIds = [...new Set(op.signers.map((index) => signerOf(request, index)))];
      const write = {
        signRequestId: id,
        appId: OWN_APP,
        signerIds,
        at: AT,
        remindedBefore: remindedBefore(AT),
        // A write must change something: with nobody to remind, only the next reminder's time moves.
        ...(op.nextReminder || signerIds.length === 0 ? { nextReminderAt: around(24 * HOUR) } : {}),
        callId: ulid(),
      };
      return {
        rule: reminderRule(write),
        write: () => signRequests.remind(write),
        workflowAnswer: (current) => {
          const planned = remindPlan(current, OWN_APP, AT);
          return 'refusal' in planned ? planned.refusal : undefined;
        },
      };
    }
    case 'code send': {
      const signerId = signerOf(request, op.signer);
      const token = tokenOf(id, signerId);
      const planned = thrownBy(() => planCodeSend(request, token, AT, '123456')) ? undefined : request;
      const plan: CodeSendPlan = {
        signRequestId: id,
        signerId,
        at: AT,
        hash: 'cd'.repeat(32),
        expiresAt: around(10 * 60_000),
        slot:
          op.slot === 'planned' && planned
            ? planCodeSend(planned, token, AT, '123456').slot
            : op.slot === 'planned'
              ? undefined
              : op.slot,
      };
      return {
        rule: codeSendRule(plan),
        write: () => signRequests.storeEmailCode(plan),
        workflowAnswer: (current) => thrownBy(() => planCodeSend(current, token, AT, '123456')),
      };
    }
    case 'change signer': {
      const signerId = editedSignerOf(request, op.signer);
      const expected = versionsOf(op.expected, request);
      const newSignerId = ulid();
      const plan: SignerChangePlan = {
        signRequestId: id,
        appId: OWN_APP,
        signerId,
        at: AT,
        version: op.read === 'current' ? request.version : op.read,
        expectedVersions: expected,
        newSignerId,
        newSigner: {
          name: 'New Name',
          email: 'new@example.com',
          order: 0,
          status: SignerStatus.Pending,
          tokenHash: sha256Hex(secretOf(newSignerId)),
        },
        formerSigners: {
          ...request.formerSigners,
          [signerId]: { name: 'Old', email: 'old@example.com', tokenHash: 'x', replacedBy: newSignerId },
        },
        derived: { signerCount: request.signerCount },
        history: [{ at: AT, event: 'SIGNER_CHANGED', signerId, newSignerId, changed: ['name'] }],
      };
      const command = {
        signRequestId: id,
        signerId,
        appId: OWN_APP,
        changes: { name: 'New Name' },
        ...(expected === undefined ? {} : { expectedVersions: expected }),
      };
      return {
        rule: signerChangeRule(plan),
        write: () => signRequests.changeSigner(plan),
        workflowAnswer: (current) => thrownBy(() => planSignerChange(current, command, AT, secretFor)),
      };
    }
    case 'remove signer': {
      const signerId = editedSignerOf(request, op.signer);
      const expected = versionsOf(op.expected, request);
      const plan: SignerRemovalPlan = {
        signRequestId: id,
        appId: OWN_APP,
        signerId,
        at: AT,
        version: op.read === 'current' ? request.version : op.read,
        expectedVersions: expected,
        formerSigners: {
          ...request.formerSigners,
          [signerId]: { name: 'Old', email: 'old@example.com', tokenHash: 'x', removedAt: AT },
        },
        derived: { signerCount: request.signerCount - 1 },
        completes: false,
        status: request.status,
        history: [{ at: AT, event: 'SIGNER_REMOVED', signerId }],
      };
      const command = {
        signRequestId: id,
        signerId,
        appId: OWN_APP,
        ...(expected === undefined ? {} : { expectedVersions: expected }),
      };
      return {
        rule: signerRemovalRule(plan),
        write: () => signRequests.removeSigner(plan),
        workflowAnswer: (current) => thrownBy(() => planSignerRemoval(current, command, AT)),
      };
    }
    case 'failed proof': {
      const signerId = signerOf(request, op.signer);
      const signer = request.signers[signerId];
      const readFailedProofs = (signer?.failedProofs ?? 0) + (op.stale ? 1 : 0);
      const readFailedProofsTotal = signer?.failedProofsTotal ?? 0;
      const callId = ulid();
      const recall = op.recalls ? { reason: 'Recalled by the service', by: 'esign-recall', at: AT, callId } : undefined;
      const plan: FailedProofPlan = {
        signRequestId: id,
        signerId,
        at: AT,
        readFailedProofs,
        readFailedProofsTotal,
        failedProofs: readFailedProofs + 1,
        failedProofsTotal: readFailedProofsTotal + 1,
        ...((readFailedProofs + 1) % 5 === 0 ? { lockedUntil: around(15 * 60_000) } : {}),
        ...(recall ? { recall } : {}),
        history: [
          { at: AT, event: 'AUTH_FAILED', signerId, callId },
          ...(recall ? [{ at: AT, event: 'RECALLED' as const, by: recall.by }] : []),
        ],
        callId,
      };
      return {
        rule: failedProofGuardsOf(plan),
        write: () => signRequests.recordFailedProof(plan),
        workflowAnswer: (current) => thrownBy(() => planFailedProof(current, tokenOf(id, signerId), AT)),
      };
    }
    case 'proof reset': {
      const signerId = signerOf(request, op.signer);
      const plan = {
        signRequestId: id,
        signerId,
        at: AT,
        failedProofs: (request.signers[signerId]?.failedProofs ?? 0) + (op.stale ? 1 : 0),
      };
      return { rule: proofResetRule(plan), write: () => signRequests.resetFailedProofs(plan) };
    }
    case 'expire':
      return { rule: expiryRule(AT), write: () => signRequests.expire(id, AT) };
    case 'leave expiry index':
      return { rule: leaveExpiryIndexRule, write: () => signRequests.leaveExpiryIndex(id) };
    case 'leave reminder index':
      return { rule: leaveReminderIndexRule, write: () => signRequests.leaveReminderIndex(id) };
  }
};

const store = async (request: SignRequest) => {
  await documentClient.send(new PutCommand({ TableName: config.tableName, Item: toItem(request) }));
};

const answerOf = (refusal: DomainError | undefined) =>
  refusal && { status: statusOfKind(refusal.kind), rules: refusal.rules };

describe('the store and core read one rule', () => {
  it('agree on every generated state and write: landed exactly when no guard fails, refused as the guard says', async () => {
    await fc.assert(
      fc.asyncProperty(stateShape, operation, async (shape, op) => {
        const request = requestOf(shape, ulid());
        if (!shape.missing) await store(request);
        const state = shape.missing ? undefined : request;
        const run = runOf(op, request);

        const written = await run.write();

        const failing = firstFailing(run.rule, state);
        expect(written.ok, `${op.kind}: core's first failing guard is ${failing?.name ?? 'none'}`).toBe(
          failing === undefined,
        );
        if (written.ok || !run.workflowAnswer) return;
        // Refused: the request as it stood comes back, and the workflow names what the failing guard implies.
        expect(written.current).toEqual(state);
        const explained = explain(run.rule as Rule<Failure>, written.current);
        const implied = explained instanceof DomainError ? explained : undefined;
        // A signer's or a reminder's plan stamps the write after the last change; when that is later than AT,
        // the plan's time differs from the write's, and so may its verdict: compared where they are the same.
        const replanned = ['sign', 'decline', 'first view', 'remind', 'change signer', 'remove signer', 'failed proof'];
        if (replanned.includes(op.kind) && state && state.updatedAt >= AT) return;
        const answered = run.workflowAnswer(written.current);
        if (op.kind === 'remind' && !implied && answered?.code === 'REMIND_TOO_SOON') return; // replanned: nobody due
        expect(answerOf(answered)).toEqual(answerOf(implied));
      }),
      { numRuns: RUNS, ...replay },
    );
  });
});

/** States chosen by hand, with what the service answered for them before the rules were data (docs/api.md). */
describe('hand-picked states answer as they always have', () => {
  const unsigned = {
    signed: false,
    viewedAt: undefined,
    lastRemindedAt: undefined,
    failedProofs: undefined,
    group: undefined,
    emailProof: false,
    codesSentAt: undefined,
  };
  /** The first signer of a picked state is locked past AT (the second is not): only the proof cases ask them. */
  const locked = around(60_000);
  const pick = (overrides: Partial<StateShape>): SignRequest =>
    requestOf(
      {
        missing: false,
        own: true,
        status: SignRequestStatus.Pending,
        signers: [
          { ...unsigned, lockedUntil: locked },
          { ...unsigned, lockedUntil: undefined },
        ],
        freeSignedCount: undefined,
        expiresAt: undefined,
        updatedAt: around(-HOUR),
        version: 2,
        resent: false,
        declinedBy: 0,
        order: undefined,
        former: undefined,
        recallAfterFailedProofs: undefined,
        ...overrides,
      },
      ulid(),
    );
  const signedByAll = [
    { ...unsigned, signed: true, lockedUntil: undefined },
    { ...unsigned, signed: true, lockedUntil: undefined },
  ];
  /** Two groups of the signing order, the first one's signer pending: the second signer's turn has not come. */
  const inOrder = {
    signers: [
      {
        signed: false,
        viewedAt: undefined,
        lastRemindedAt: undefined,
        group: 1,
        emailProof: false,
        codesSentAt: undefined,
        failedProofs: undefined,
        lockedUntil: undefined,
      },
      {
        signed: false,
        viewedAt: undefined,
        lastRemindedAt: undefined,
        group: 2,
        emailProof: false,
        codesSentAt: undefined,
        failedProofs: undefined,
        lockedUntil: undefined,
      },
    ],
    order: { freeCurrentOrder: undefined, freePending: undefined },
  };

  const cases: { name: string; request: SignRequest; op: Operation; answer: { status: number; code: string } }[] = [
    {
      name: 'a recall of a cancelled request with a stale If-Match: 412 before 409',
      request: pick({ status: SignRequestStatus.Cancelled }),
      op: { kind: 'recall', expected: [1] },
      answer: { status: 412, code: 'PRECONDITION_FAILED' },
    },
    {
      name: 'a recall of a cancelled request',
      request: pick({ status: SignRequestStatus.Cancelled }),
      op: { kind: 'recall', expected: [2] },
      answer: { status: 409, code: 'SIGN_REQUEST_ALREADY_CANCELLED' },
    },
    {
      name: "a recall of another app's request: as missing",
      request: pick({ own: false, status: SignRequestStatus.Completed }),
      op: { kind: 'recall', expected: undefined },
      answer: { status: 404, code: 'SIGN_REQUEST_NOT_FOUND' },
    },
    {
      name: 'a recall of an open request signed by all: completed',
      request: pick({ status: SignRequestStatus.PartiallySigned, signers: signedByAll }),
      op: { kind: 'recall', expected: undefined },
      answer: { status: 409, code: 'SIGN_REQUEST_COMPLETED' },
    },
    {
      name: 'a recall of an open request at its deadline: expired',
      request: pick({ expiresAt: AT }),
      op: { kind: 'recall', expected: undefined },
      answer: { status: 409, code: 'SIGN_REQUEST_EXPIRED' },
    },
    {
      // A completed request's deadline is spent: its links live on (they serve the signed document).
      name: 'a signature on a completed request past its deadline: 409 already signed, not 410 expired',
      request: pick({ status: SignRequestStatus.Completed, signers: signedByAll, expiresAt: around(-1) }),
      op: { kind: 'sign', signer: 0, completes: true, group: undefined },
      answer: { status: 409, code: 'ALREADY_SIGNED' },
    },
    {
      name: 'a decline by the signer who declined',
      request: pick({ status: SignRequestStatus.Declined, declinedBy: 1 }),
      op: { kind: 'decline', signer: 1 },
      answer: { status: 409, code: 'ALREADY_DECLINED' },
    },
    {
      name: 'a signature after another signer declined',
      request: pick({ status: SignRequestStatus.Declined, declinedBy: 1 }),
      op: { kind: 'sign', signer: 0, completes: false, group: undefined },
      answer: { status: 410, code: 'SIGN_REQUEST_DECLINED' },
    },
    {
      name: 'a signature by a locked signer: 429 before the state’s 409s',
      request: pick({}),
      op: { kind: 'sign', signer: 0, completes: false, group: undefined },
      answer: { status: 429, code: 'SIGNER_LOCKED' },
    },
    {
      name: 'a wrong proof of a locked signer: 429, nothing counted',
      request: pick({}),
      op: { kind: 'failed proof', signer: 0, recalls: false, stale: false },
      answer: { status: 429, code: 'SIGNER_LOCKED' },
    },
    {
      name: 'a wrong proof on a recalled request: 410 before the lock',
      request: pick({ status: SignRequestStatus.Cancelled }),
      op: { kind: 'failed proof', signer: 0, recalls: false, stale: false },
      answer: { status: 410, code: 'SIGN_REQUEST_CANCELLED' },
    },
    {
      name: 'a resend of an open request signed by all, past its deadline: completed, not open',
      request: pick({ status: SignRequestStatus.Pending, signers: signedByAll, expiresAt: around(-HOUR) }),
      op: { kind: 'resend claim', expected: undefined },
      answer: { status: 409, code: 'SIGN_REQUEST_COMPLETED' },
    },
    {
      name: 'a signature by a later group of the signing order: not your turn',
      request: pick(inOrder),
      op: { kind: 'sign', signer: 1, completes: false, group: { completes: true, readVersion: undefined } },
      answer: { status: 409, code: 'NOT_YOUR_TURN' },
    },
    {
      name: 'a decline by a later group of the signing order: not your turn',
      request: pick(inOrder),
      op: { kind: 'decline', signer: 1 },
      answer: { status: 409, code: 'NOT_YOUR_TURN' },
    },
    {
      name: 'a signature by a later group after the request was recalled: recalled first, then the turn',
      request: pick({ ...inOrder, status: SignRequestStatus.Cancelled }),
      op: { kind: 'sign', signer: 1, completes: false, group: { completes: true, readVersion: undefined } },
      answer: { status: 410, code: 'SIGN_REQUEST_CANCELLED' },
    },
    {
      name: 'a reminder of an open request past its deadline: closed as expired',
      request: pick({ expiresAt: around(-1) }),
      op: { kind: 'remind', signers: [0], nextReminder: false },
      answer: { status: 409, code: 'SIGN_REQUEST_CLOSED' },
    },
    {
      name: 'a change of a signer who signed: SIGNER_ALREADY_ACTED',
      request: pick({ status: SignRequestStatus.PartiallySigned, signers: [signedByAll[0]!, signedByAll[0]!] }),
      op: { kind: 'change signer', signer: 0, expected: undefined, read: 'current' },
      answer: { status: 409, code: 'SIGNER_ALREADY_ACTED' },
    },
    {
      name: 'a removal of the signer who declined: SIGNER_ALREADY_ACTED before the request’s 409',
      request: pick({ status: SignRequestStatus.Declined, declinedBy: 1 }),
      op: { kind: 'remove signer', signer: 1, expected: undefined, read: 'current' },
      answer: { status: 409, code: 'SIGNER_ALREADY_ACTED' },
    },
    {
      name: 'a change of a pending signer of a recalled request: the recall’s 409',
      request: pick({ status: SignRequestStatus.Cancelled }),
      op: { kind: 'change signer', signer: 1, expected: undefined, read: 'current' },
      answer: { status: 409, code: 'SIGN_REQUEST_ALREADY_CANCELLED' },
    },
    {
      name: 'a removal of the only signer: LAST_SIGNER',
      request: pick({
        signers: [
          {
            signed: false,
            viewedAt: around(-HOUR),
            lastRemindedAt: undefined,
            group: undefined,
            emailProof: false,
            codesSentAt: undefined,
            failedProofs: undefined,
            lockedUntil: undefined,
          },
        ],
      }),
      op: { kind: 'remove signer', signer: 0, expected: undefined, read: 'current' },
      answer: { status: 409, code: 'LAST_SIGNER' },
    },
    {
      name: 'a change of a signer replaced already: SIGNER_REPLACED',
      request: pick({ former: 'replaced' }),
      op: { kind: 'change signer', signer: 3, expected: undefined, read: 'current' },
      answer: { status: 409, code: 'SIGNER_REPLACED' },
    },
    {
      name: 'a change of a signer removed already: SIGNER_NOT_FOUND',
      request: pick({ former: 'removed' }),
      op: { kind: 'change signer', signer: 3, expected: undefined, read: 'current' },
      answer: { status: 404, code: 'SIGNER_NOT_FOUND' },
    },
    {
      name: 'a change with a stale If-Match of a signer who signed: 412 first',
      request: pick({ signers: [signedByAll[0]!, signedByAll[0]!], status: SignRequestStatus.PartiallySigned }),
      op: { kind: 'change signer', signer: 0, expected: [1], read: 'current' },
      answer: { status: 412, code: 'PRECONDITION_FAILED' },
    },
  ];

  it.each(cases)('$name', async ({ request, op, answer }) => {
    await store(request);
    const run = runOf(op, request);
    const written = await run.write();
    expect(written.ok).toBe(false);
    const current = written.ok ? undefined : written.current;
    const implied = explain(run.rule as Rule<Failure>, current);
    const answered = run.workflowAnswer?.(current);
    expect(answerOf(answered)).toEqual(answerOf(implied instanceof DomainError ? implied : undefined));
    expect({ status: answered && statusOfKind(answered.kind), code: answered?.code }).toEqual(answer);
  });
});
