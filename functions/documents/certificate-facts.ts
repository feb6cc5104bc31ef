/**
 * Everything a certificate states about one sign request, as plain values (ISO 8601 UTC times, as stored). The
 * caller gathers them from the request; `certificateContent` decides how each is shown.
 */
export interface CertificateFacts {
  readonly requestNo: string;
  readonly signRequestId: string;
  /** The document the request carries, or null for a request without one. */
  readonly document: DocumentFacts | null;
  /** Who sent the request: the app's name. */
  readonly sender: string;
  readonly createdAt: string;
  readonly signers: readonly SignerFacts[];
  /** Signers the app changed or removed while the request was open, in the order it did. */
  readonly signerChanges: readonly SignerChangeFacts[];
  readonly outcome: OutcomeFacts;
  /** When this certificate was made (an open request's certificate shows the state at that moment). */
  readonly issuedAt: string;
}

interface DocumentFacts {
  readonly name: string;
  /** Hex SHA-256 of the original bytes. */
  readonly sha256: string;
  /** Bytes. */
  readonly size: number;
  readonly pages: number;
}

export interface SignerFacts {
  readonly name: string;
  readonly email: string;
  /** PENDING, SIGNED, DECLINED, ... as stored. */
  readonly status: string;
  /**
   * The signer's place in the signing order and when their group was invited (absent: not invited, the chain
   * stopped before it). Only on a request with more than one group; where everyone signs at once, both are absent.
   */
  readonly signingOrder?: { readonly order: number; readonly invitedAt?: string };
  /** The name the signer typed to sign. */
  readonly typedName?: string;
  readonly viewedAt?: string;
  readonly signedAt?: string;
  readonly declinedAt?: string;
  readonly declineReason?: string;
  /** Of the signer's last act (signature or decline; the view when that is all there is). */
  readonly ip?: string;
  readonly userAgent?: string;
  /** The document SHA-256 the signing page showed when the signer signed. */
  readonly documentSha256Shown?: string;
  /** The proof the signer had to give (ACCESS_CODE or EMAIL), when the request asked one of them. */
  readonly proofAsked?: string;
  /** The proof the signer gave for their last act (as the act's entry records it). */
  readonly proofGiven?: string;
  /** The signer's wrong proofs as recorded, in order: when, and from where. */
  readonly failedProofs?: readonly FailedProofFacts[];
  /** How many wrong proofs the signer gave in all (more than recorded once the request stopped recording them). */
  readonly failedProofCount?: number;
}

export interface FailedProofFacts {
  readonly at: string;
  readonly ip?: string;
  readonly userAgent?: string;
}

/** A person as the request named them. */
interface Person {
  readonly name: string;
  readonly email: string;
}

/** One change of the signers: who was replaced by whom, or removed, and when. */
export type SignerChangeFacts =
  | { readonly kind: 'changed'; readonly at: string; readonly from: Person; readonly to: Person }
  | { readonly kind: 'removed'; readonly at: string; readonly from: Person };

export type OutcomeFacts =
  | { readonly kind: 'completed'; readonly at: string }
  | {
      readonly kind: 'recalled';
      readonly by: string;
      readonly at: string;
      readonly reason: string;
      readonly ip?: string;
      readonly userAgent?: string;
      /** Recalled by the service itself (too many wrong signer proofs), not by the sender. */
      readonly byService?: true;
    }
  | { readonly kind: 'declined'; readonly by: string; readonly at: string; readonly reason: string }
  | { readonly kind: 'expired'; readonly at: string }
  | { readonly kind: 'open' };
