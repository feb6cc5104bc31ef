import { newId } from './ids.ts';
import { SignRequestStatus, SignerStatus, type SignRequest, type Signer } from './sign-request.ts';
import { formatSigningToken, newSigningSecret, sha256Hex } from './signing-token.ts';

export interface InitiateCommand {
  appId: string;
  documentName: string;
  signers: readonly { name: string; email: string }[];
  message?: string;
  expiresAt?: string;
  requestedBy?: string;
}

export interface NewSignRequest {
  request: SignRequest;
  /** The signing token of each signer, by signer id. Handed out once; only their hashes are kept. */
  signingTokens: Record<string, string>;
}

export const newSignRequest = (command: InitiateCommand, requestNo: string, now: string): NewSignRequest => {
  const id = newId();
  const signers: Record<string, Signer> = {};
  const signingTokens: Record<string, string> = {};
  command.signers.forEach(({ name, email }, order) => {
    const signerId = newId();
    const secret = newSigningSecret();
    signers[signerId] = { name, email, order, status: SignerStatus.Pending, tokenHash: sha256Hex(secret) };
    signingTokens[signerId] = formatSigningToken({ signRequestId: id, signerId, secret });
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
    history: [{ at: now, event: 'CREATED', ...(command.requestedBy ? { by: command.requestedBy } : {}) }],
    version: 1,
    createdAt: now,
    updatedAt: now,
    ...(command.message ? { message: command.message } : {}),
    ...(command.requestedBy ? { requestedBy: command.requestedBy } : {}),
    ...(command.expiresAt ? { expiresAt: command.expiresAt } : {}),
  };
  return { request, signingTokens };
};
