/** The shape of a sign request as the domain sees it: one record is the whole truth of a request. */
export const SignRequestStatus = {
  Pending: 'PENDING',
  PartiallySigned: 'PARTIALLY_SIGNED',
  Completed: 'COMPLETED',
  Cancelled: 'CANCELLED',
  Expired: 'EXPIRED',
} as const;
export type SignRequestStatus = (typeof SignRequestStatus)[keyof typeof SignRequestStatus];

/** The states from which a request may still be recalled or signed. */
export const OPEN_STATUSES: readonly SignRequestStatus[] = [
  SignRequestStatus.Pending,
  SignRequestStatus.PartiallySigned,
];

export const SignerStatus = { Pending: 'PENDING', Signed: 'SIGNED' } as const;
export type SignerStatus = (typeof SignerStatus)[keyof typeof SignerStatus];

export interface Signer {
  name: string;
  email: string;
  /** Position in the order the app gave; the store keeps signers in a map, which has no order. */
  order: number;
  status: SignerStatus;
  /** sha256 of the signing secret; the secret itself is never stored. */
  tokenHash: string;
  viewedAt?: string;
  signedAt?: string;
  signedName?: string;
}

export interface RecallRecord {
  reason: string;
  by: string;
  at: string;
}

export type HistoryEvent = 'CREATED' | 'VIEWED' | 'SIGNED' | 'COMPLETED' | 'RECALLED' | 'EXPIRED';

export interface HistoryEntry {
  at: string;
  event: HistoryEvent;
  signerId?: string;
  by?: string;
}

export interface SignRequest {
  id: string;
  appId: string;
  requestNo: string;
  status: SignRequestStatus;
  documentName: string;
  message?: string;
  requestedBy?: string;
  signers: Record<string, Signer>;
  signerCount: number;
  signedCount: number;
  recall?: RecallRecord;
  history: HistoryEntry[];
  version: number;
  createdAt: string;
  updatedAt: string;
  expiresAt?: string;
}

export const isOpen = (status: SignRequestStatus): boolean => OPEN_STATUSES.includes(status);

/** Signers in the order the app listed them. */
export const signersInOrder = (request: SignRequest): [string, Signer][] =>
  Object.entries(request.signers).sort(([, a], [, b]) => a.order - b.order);
