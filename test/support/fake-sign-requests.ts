import type { SignerChangePlan, SignerRemovalPlan } from '../../functions/core/signer-change.ts';
import { changeSigner, removeSigner } from '../../functions/store/signer-edit-writes.ts';
import { evaluate } from '../../functions/core/conditions.ts';
import { ruleCondition } from '../../functions/core/guards.ts';
import type { Evidence } from '../../functions/core/evidence.ts';
import type {
  DeclineRecord,
  ExpectedVersions,
  RecallRecord,
  ResendRecord,
  SignRequest,
} from '../../functions/core/sign-request.ts';
import type { CodeSendPlan } from '../../functions/core/email-code.ts';
import type { FailedProofPlan, ProofResetPlan } from '../../functions/core/failed-proof.ts';
import type { FirstViewPlan, SignaturePlan, SignerProofGiven } from '../../functions/core/signing.ts';
import { recordFailedProof, resetFailedProofs } from '../../functions/store/proof-writes.ts';
import { decline, recall } from '../../functions/store/close-writes.ts';
import type { UpdateAction } from '../../functions/store/expressions.ts';
import { remind, type ReminderWrite } from '../../functions/store/reminder-writes.ts';
import { claimResend } from '../../functions/store/resend-claims.ts';
import type { ItemChange, SignRequestTable } from '../../functions/store/sign-request-table.ts';
import { fromItem, toItem, type Item } from '../../functions/store/sign-request-items.ts';
import type { SignRequestStore } from '../../functions/store/sign-requests.ts';
import { applySignature, recordFirstView, storeEmailCode } from '../../functions/store/signer-writes.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';

/**
 * What goes wrong with one write, as the workflows meet it:
 * - 'lost-as-refusal': it lands, and the call answers refused with the request as it now stands (what the SDK's
 *   retry of a landed attempt reports);
 * - 'lost': it lands, and the call throws an error that may have landed (a reset), for settleWrite to read back;
 * - 'unreached': it throws that same error without landing;
 * - 'throttled': it throws an error that certainly did not land (it is not read back).
 */
export type WriteFault = 'lost-as-refusal' | 'lost' | 'unreached' | 'throttled';

export type WriteMethod =
  | 'create'
  | 'recall'
  | 'decline'
  | 'applySignature'
  | 'recordFirstView'
  | 'claimResend'
  | 'remind'
  | 'changeSigner'
  | 'removeSigner'
  | 'storeEmailCode'
  | 'recordFailedProof'
  | 'resetFailedProofs';

/** An error after which a write may or may not have landed (runtime/unavailable.ts `mayHaveLanded`). */
export const connectionReset = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

/** An error that certainly did not land: DynamoDB's throttling, a 400. */
export const throttled = (): Error =>
  Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });

/** What a SET sets an attribute to. */
type UpdateOperand = Extract<UpdateAction, { set: unknown }>['to'];

const clone = <T>(value: T): T => structuredClone(value);

const resolve = (item: Item, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((at, name) => (at as Record<string, unknown> | undefined)?.[name], item);

/** The map an update's path ends in; DynamoDB refuses a path through a missing map, and so does this. */
const parentOf = (item: Item, path: readonly (string | number)[]): Record<string, unknown> => {
  const parent = resolve(item, path.slice(0, -1));
  if (typeof parent !== 'object' || parent === null) throw new Error(`no map at ${path.slice(0, -1).join('.')}`);
  return parent as Record<string, unknown>;
};

const operandValue = (item: Item, operand: UpdateOperand): unknown => {
  if ('attr' in operand) return resolve(item, operand.attr);
  if ('plus' in operand)
    return Number(operandValue(item, operand.plus[0])) + Number(operandValue(item, operand.plus[1]));
  if ('listAppend' in operand) {
    return [...(operandValue(item, operand.listAppend[0]) as unknown[]), ...operand.listAppend[1].value];
  }
  return clone(operand.value);
};

/** An update's actions on an item, as DynamoDB applies SET, ADD and REMOVE (operands read from the old item). */
const applied = (item: Item, actions: readonly UpdateAction[]): Item => {
  const next = clone(item);
  for (const action of actions) {
    if ('set' in action) parentOf(next, action.set)[action.set.at(-1)!] = operandValue(item, action.to);
    else if ('add' in action) {
      const parent = parentOf(next, action.add);
      parent[action.add.at(-1)!] = Number(parent[action.add.at(-1)!] ?? 0) + action.by;
    } else delete parentOf(next, action.remove)[action.remove.at(-1)!];
  }
  return next;
};

/**
 * The sign request store in memory, deciding every write as the real one does: the real write functions of
 * functions/store/ (recall, decline, signature, first view, resend claim, reminder, a signer's change or removal) run on an in-memory table
 * that lands a change only when its rule (core/rules.ts, evaluated by core/conditions.ts) holds on the stored
 * item, and then applies the change's own update actions. Items are kept as the table keeps them (with their
 * index keys), so a test sees what a write did to them too.
 *
 * A test can land another change just before a write (`beforeWrite`: a concurrent call), and make writes fail
 * (`faults`, one per write in order). Every call is recorded.
 */
export class FakeSignRequests implements Pick<
  SignRequestStore,
  | 'get'
  | 'create'
  | 'recall'
  | 'decline'
  | 'applySignature'
  | 'recordFirstView'
  | 'claimResend'
  | 'remind'
  | 'storeEmailCode'
  | 'changeSigner'
  | 'removeSigner'
  | 'recordFailedProof'
  | 'resetFailedProofs'
> {
  readonly items = new Map<string, Item>();
  readonly reads: string[] = [];
  readonly writes: { method: WriteMethod; id: string; args: unknown[] }[] = [];
  /** What goes wrong with the next writes, in order; a write with none left (or `undefined`) goes as it should. */
  faults: (WriteFault | undefined)[] = [];
  /** Reads that throw (a read-back that fails too), counted down. */
  failingReads = 0;
  /** Runs before each write is decided (`attempt`: 1 for the first write): a change another call landed first. */
  beforeWrite: (current: SignRequest | undefined, attempt: number) => SignRequest | undefined = (current) => current;

  /**
   * An in-memory SignRequestTable: the store's write functions need no more than these. The class itself also
   * holds an SDK client, which nothing here reaches, hence the one cast.
   */
  private readonly table = {
    get: (id: string) => Promise.resolve(this.stored(id)),
    create: (request: SignRequest): Promise<WriteResult> => {
      const current = this.stored(request.id);
      if (current) return Promise.resolve({ ok: false, current });
      this.items.set(request.id, toItem(clone(request)));
      return Promise.resolve({ ok: true });
    },
    update: async <F>(id: string, change: ItemChange<F>): Promise<WriteResult> => {
      const written = await this.table.updateAndRead(id, change);
      return written.ok ? { ok: true } : written;
    },
    updateAndRead: <F>(id: string, change: ItemChange<F>): Promise<WriteResult<{ request: SignRequest }>> => {
      const item = this.items.get(id);
      const current = this.stored(id);
      if (!item || !evaluate(ruleCondition(change.rule), current)) return Promise.resolve({ ok: false, current });
      this.items.set(id, applied(item, change.update));
      return Promise.resolve({ ok: true, request: this.stored(id)! });
    },
  } as unknown as SignRequestTable;

  constructor(...requests: SignRequest[]) {
    for (const request of requests) this.put(request);
  }

  /** Stores a request as it is, over whatever was there (a test's setup, not a write). */
  put(request: SignRequest): void {
    this.items.set(request.id, toItem(clone(request)));
  }

  /** The request as stored now, a copy. */
  stored(id: string): SignRequest | undefined {
    const item = this.items.get(id);
    return item ? clone(fromItem(item)) : undefined;
  }

  /** The writes made by one method. */
  writesOf(method: WriteMethod): unknown[][] {
    return this.writes.filter((write) => write.method === method).map((write) => write.args);
  }

  get(id: string): Promise<SignRequest | undefined> {
    this.reads.push(id);
    if (this.failingReads > 0) {
      this.failingReads--;
      return Promise.reject(connectionReset());
    }
    return Promise.resolve(this.stored(id));
  }

  create(request: SignRequest): Promise<WriteResult> {
    return this.write('create', request.id, [request], () => this.table.create(request));
  }

  recall(
    id: string,
    appId: string,
    record: RecallRecord,
    expectedVersions?: ExpectedVersions,
    evidence?: Evidence,
  ): Promise<WriteResult> {
    return this.write('recall', id, [appId, record, expectedVersions, evidence], () =>
      recall(this.table, id, appId, record, expectedVersions, evidence),
    );
  }

  decline(id: string, record: DeclineRecord, evidence?: Evidence, proof?: SignerProofGiven): Promise<WriteResult> {
    return this.write('decline', id, [record, evidence], () => decline(this.table, id, record, evidence, proof));
  }

  recordFailedProof(plan: FailedProofPlan): Promise<WriteResult> {
    return this.write('recordFailedProof', plan.signRequestId, [plan], () => recordFailedProof(this.table, plan));
  }

  resetFailedProofs(plan: ProofResetPlan): Promise<WriteResult> {
    return this.write('resetFailedProofs', plan.signRequestId, [plan], () => resetFailedProofs(this.table, plan));
  }

  applySignature(plan: SignaturePlan): Promise<WriteResult<{ request: SignRequest }>> {
    return this.write('applySignature', plan.signRequestId, [plan], () => applySignature(this.table, plan));
  }

  recordFirstView(plan: FirstViewPlan): Promise<WriteResult> {
    return this.write('recordFirstView', plan.signRequestId, [plan], () => recordFirstView(this.table, plan));
  }

  claimResend(
    id: string,
    appId: string,
    record: ResendRecord,
    expectedVersions?: ExpectedVersions,
  ): Promise<WriteResult> {
    return this.write('claimResend', id, [appId, record, expectedVersions], () =>
      claimResend(this.table, id, appId, record, expectedVersions),
    );
  }

  storeEmailCode(plan: CodeSendPlan): Promise<WriteResult> {
    return this.write('storeEmailCode', plan.signRequestId, [plan], () => storeEmailCode(this.table, plan));
  }

  remind(write: ReminderWrite): Promise<WriteResult> {
    return this.write('remind', write.signRequestId, [write], () => remind(this.table, write));
  }

  changeSigner(plan: SignerChangePlan): Promise<WriteResult<{ request: SignRequest }>> {
    return this.write('changeSigner', plan.signRequestId, [plan], () => changeSigner(this.table, plan));
  }

  removeSigner(plan: SignerRemovalPlan): Promise<WriteResult<{ request: SignRequest }>> {
    return this.write('removeSigner', plan.signRequestId, [plan], () => removeSigner(this.table, plan));
  }

  private async write<Landed extends object>(
    method: WriteMethod,
    id: string,
    args: unknown[],
    land: () => Promise<WriteResult<Landed>>,
  ): Promise<WriteResult<Landed>> {
    this.writes.push({ method, id, args: clone(args) });
    const changed = this.beforeWrite(this.stored(id), this.writes.length);
    if (changed) this.put(changed);
    else this.items.delete(id);
    const fault = this.faults.shift();
    if (fault === 'unreached') throw connectionReset();
    if (fault === 'throttled') throw throttled();
    const written = await land();
    if (fault === 'lost') throw connectionReset();
    if (fault === 'lost-as-refusal' && written.ok) return { ok: false, current: this.stored(id) };
    return written;
  }
}
