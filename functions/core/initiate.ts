import { newId } from './ids.ts';
import {
  SignRequestStatus,
  SignerStatus,
  type SignRequest,
  type Signer,
  type SignerProof,
  type StoredDocument,
} from './sign-request.ts';
import { orderAttributes } from './signing-order.ts';
import { sha256Hex } from './signing-token.ts';

export interface InitiateCommand {
  appId: string;
  documentName: string;
  /**
   * `order`: the signer's group in the signing order (the API's name; stored as `signingOrder`), default 1.
   * `proof`: already in its stored form (an access code hashed: core/signer-proof.ts).
   */
  signers: readonly { name: string; email: string; order?: number | undefined; proof?: SignerProof | undefined }[];
  message?: string;
  expiresAt?: string;
  requestedBy?: string;
  senderEmail?: string;
  sendInvitations?: boolean;
  remindEveryDays?: number;
  recallAfterFailedProofs?: number;
  /** The PDF, already checked and stored (workflows/initiate.ts). */
  document?: StoredDocument;
}

const DAY_MS = 86_400_000;

/** The secret of one signer of one request (see deriveSigningSecret). */
export type SecretFor = (signRequestId: string, signerId: string) => string;

/**
 * A new request; each signer keeps only the hash of their secret, so the item can never open a link. Its ids are
 * drawn here unless given (a resend builds the replacement it claimed, under the ids it claimed).
 */
export const newSignRequest = (
  command: InitiateCommand,
  requestNo: string,
  now: string,
  secretFor: SecretFor,
  id: string = newId(),
  signerIds: readonly string[] = command.signers.map(() => newId()),
): SignRequest => {
  const signers: Record<string, Signer> = {};
  command.signers.forEach(({ name, email, order: signingOrder = 1, proof }, order) => {
    const signerId = signerIds[order] ?? newId();
    const tokenHash = sha256Hex(secretFor(id, signerId));
    signers[signerId] = {
      name,
      email,
      order,
      signingOrder,
      status: SignerStatus.Pending,
      tokenHash,
      ...(proof ? { proof } : {}),
    };
  });
  const request: SignRequest = {
    id,
    appId: command.appId,
    requestNo,
    status: SignRequestStatus.Pending,
    documentName: command.documentName,
    signers,
    signerCount: command.signers.length,
    signedCount: 0,
    ...orderAttributes(signers),
    history: [{ at: now, event: 'CREATED', ...(command.requestedBy ? { by: command.requestedBy } : {}) }],
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...(command.document ? { document: command.document } : {}),
    ...(command.message ? { message: command.message } : {}),
    ...(command.requestedBy ? { requestedBy: command.requestedBy } : {}),
    ...(command.expiresAt ? { expiresAt: command.expiresAt } : {}),
    ...(command.senderEmail ? { senderEmail: command.senderEmail } : {}),
    ...(command.sendInvitations === false ? { sendInvitations: false } : {}),
    ...(command.recallAfterFailedProofs ? { recallAfterFailedProofs: command.recallAfterFailedProofs } : {}),
    ...(command.remindEveryDays
      ? {
          remindEveryDays: command.remindEveryDays,
          nextReminderAt: new Date(Date.parse(now) + command.remindEveryDays * DAY_MS).toISOString(),
        }
      : {}),
  };
  return request;
};
