import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Evidence } from '../core/evidence.ts';
import type {
  DeclineRecord,
  ExpectedVersions,
  RecallRecord,
  ResendRecord,
  SignedDocumentRecord,
  SignRequest,
} from '../core/sign-request.ts';
import type { CodeSendPlan } from '../core/email-code.ts';
import type { SignerChangePlan, SignerRemovalPlan } from '../core/signer-change.ts';
import type { FailedProofPlan, ProofResetPlan } from '../core/failed-proof.ts';
import type { FirstViewPlan, SignaturePlan, SignerProofGiven } from '../core/signing.ts';
import { decline, expire, leaveExpiryIndex, recall } from './close-writes.ts';
import { dueForExpiry, dueForReminder } from './due-index.ts';
import { leaveReminderIndex, remind, type ReminderWrite } from './reminder-writes.ts';
import { claimResend } from './resend-claims.ts';
import { SignRequestTable } from './sign-request-table.ts';
import { recordSignedDocument } from './signed-document-writes.ts';
import { applySignature, recordFirstView, storeEmailCode } from './signer-writes.ts';
import { changeSigner, removeSigner } from './signer-edit-writes.ts';
import { recordFailedProof, resetFailedProofs } from './proof-writes.ts';
import type { WriteResult } from './write-result.ts';

/**
 * (secondary adapter) The sign request items, as the workflows use them. Every state change is ONE conditional
 * UpdateItem on the request's one item, so no change needs a transaction and none can be half-done; each is
 * written on the guards of its rule in core/rules.ts, by which the workflow also explains a refusal. The writes
 * live by concern: closing (close-writes.ts), a signer's (signer-writes.ts), the app's change of a signer (signer-edit-writes.ts), the resend claim
 * (resend-claims.ts), reminders (reminder-writes.ts) and the due indexes (due-index.ts).
 */
export class SignRequestStore {
  private readonly table: SignRequestTable;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.table = new SignRequestTable(client, tableName);
  }

  create(request: SignRequest): Promise<WriteResult> {
    return this.table.create(request);
  }

  get(id: string): Promise<SignRequest | undefined> {
    return this.table.get(id);
  }

  recall(
    id: string,
    appId: string,
    record: RecallRecord,
    expectedVersions?: ExpectedVersions,
    evidence?: Evidence,
  ): Promise<WriteResult> {
    return recall(this.table, id, appId, record, expectedVersions, evidence);
  }

  decline(id: string, record: DeclineRecord, evidence?: Evidence, proof?: SignerProofGiven): Promise<WriteResult> {
    return decline(this.table, id, record, evidence, proof);
  }

  recordFailedProof(plan: FailedProofPlan): Promise<WriteResult> {
    return recordFailedProof(this.table, plan);
  }

  resetFailedProofs(plan: ProofResetPlan): Promise<WriteResult> {
    return resetFailedProofs(this.table, plan);
  }

  expire(id: string, now: string): Promise<WriteResult> {
    return expire(this.table, id, now);
  }

  leaveExpiryIndex(id: string): Promise<WriteResult> {
    return leaveExpiryIndex(this.table, id);
  }

  applySignature(plan: SignaturePlan): Promise<WriteResult<{ request: SignRequest }>> {
    return applySignature(this.table, plan);
  }

  storeEmailCode(plan: CodeSendPlan): Promise<WriteResult> {
    return storeEmailCode(this.table, plan);
  }

  recordFirstView(plan: FirstViewPlan): Promise<WriteResult> {
    return recordFirstView(this.table, plan);
  }

  changeSigner(plan: SignerChangePlan): Promise<WriteResult<{ request: SignRequest }>> {
    return changeSigner(this.table, plan);
  }

  removeSigner(plan: SignerRemovalPlan): Promise<WriteResult<{ request: SignRequest }>> {
    return removeSigner(this.table, plan);
  }

  claimResend(
    id: string,
    appId: string,
    record: ResendRecord,
    expectedVersions?: ExpectedVersions,
  ): Promise<WriteResult> {
    return claimResend(this.table, id, appId, record, expectedVersions);
  }

  remind(write: ReminderWrite): Promise<WriteResult> {
    return remind(this.table, write);
  }

  recordSignedDocument(id: string, record: SignedDocumentRecord): Promise<WriteResult> {
    return recordSignedDocument(this.table, id, record);
  }

  leaveReminderIndex(id: string): Promise<WriteResult> {
    return leaveReminderIndex(this.table, id);
  }

  dueForExpiry(now: string, pageSize?: number): AsyncGenerator<string> {
    return dueForExpiry(this.client, this.tableName, now, pageSize);
  }

  dueForReminder(now: string, pageSize?: number): AsyncGenerator<string> {
    return dueForReminder(this.client, this.tableName, now, pageSize);
  }
}
