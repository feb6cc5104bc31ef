import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { SecretFor } from '../core/initiate.ts';
import {
  signersInOrder,
  statusAt,
  type SignRequest,
  type SignRequestStatus,
  type Signer,
} from '../core/sign-request.ts';
import type { DeclinePlan } from '../core/decline.ts';
import type { CodeSendPlan } from '../core/email-code.ts';
import type { SignaturePlan } from '../core/signing.ts';
import { groupOf, wasReached } from '../core/signing-order.ts';
import { formatSigningToken } from '../core/signing-token.ts';
import type { ListPage } from '../workflows/list.ts';

/** Responses speak PascalCase (the KAiZEN contract); the domain speaks camelCase. */

/** Where signing links point: the configured base, or this API's own URL as API Gateway reports it. */
export const signingBaseUrl = (configured: string | undefined, event: APIGatewayProxyEventV2): string => {
  if (configured) return configured;
  // A direct invocation has no domain: the links are then paths below the API's URL.
  if (!event.requestContext.domainName) return '';
  const scheme = event.headers['x-forwarded-proto'] === 'http' ? 'http' : 'https';
  const stage =
    event.requestContext.stage && event.requestContext.stage !== '$default' ? `/${event.requestContext.stage}` : '';
  return `${scheme}://${event.requestContext.domainName}${stage}`;
};

/** The answer to initiate as it may be stored for replays: no signing links, which are secrets. */
export const presentCreated = (request: SignRequest) => ({
  SignRequestId: request.id,
  RequestNo: request.requestNo,
  Status: request.status,
  Signers: signersInOrder(request).map(([signerId, signer]) => ({
    SignerId: signerId,
    Name: signer.name,
    Email: signer.email,
  })),
});

export type Created = ReturnType<typeof presentCreated>;

/** The answer to a resend: the replacement, as initiate answers it, and the request it replaces. */
export const presentResent = (replacement: SignRequest, replaces: string) => ({
  ...presentCreated(replacement),
  ReplacesSignRequestId: replaces,
});

/** Adds each signer's link, derived again from the link signing key, to a first answer or a replay alike. */
export const withSigningUrls = <C extends Created>(created: C, secretFor: SecretFor, baseUrl: string) => ({
  ...created,
  Signers: created.Signers.map((signer) => ({
    ...signer,
    SigningUrl: signingUrlOf(secretFor, baseUrl, created.SignRequestId, signer.SignerId),
  })),
});

/** One signer's link, derived again from the link signing key: never stored, never in an event or a log. */
export const signingUrlOf = (secretFor: SecretFor, baseUrl: string, signRequestId: string, signerId: string): string =>
  `${baseUrl}/v1/signing/${formatSigningToken({ signRequestId, signerId, secret: secretFor(signRequestId, signerId) })}`;

/** The answer to PATCH .../signers/{signerId}: the signer who now stands there (the link is added by the route). */
export const presentChangedSigner = (request: SignRequest, signerId: string, replaced: string) => {
  const signer = request.signers[signerId];
  return {
    SignRequestId: request.id,
    SignerId: signerId,
    ReplacedSignerId: replaced,
    Name: signer?.name ?? '',
    Email: signer?.email ?? '',
  };
};

/** The answer to DELETE .../signers/{signerId}: the request's status once the signer is gone (COMPLETED, maybe). */
export const presentRemovedSigner = (request: SignRequest, signerId: string) => ({
  SignRequestId: request.id,
  RemovedSignerId: signerId,
  Status: request.status,
  SignerCount: request.signerCount,
});

/** `now` decides the status shown: past its deadline, an open request reads as EXPIRED (see statusAt). */
export const presentSignRequest = (request: SignRequest, now: string) => ({
  SignRequestId: request.id,
  RequestNo: request.requestNo,
  Status: statusAt(request, now),
  DocumentName: request.documentName,
  // The PDF the request carries, as the service checked it; its key in the bucket is internal.
  Document: request.document
    ? {
        Name: request.document.name,
        Sha256: request.document.sha256,
        Size: request.document.size,
        Pages: request.document.pages,
      }
    : null,
  // The sealed signed document, once made after completion; its key in the bucket is internal too.
  SignedDocument: request.signedDocument
    ? { Sha256: request.signedDocument.sha256, Size: request.signedDocument.size }
    : null,
  Message: request.message ?? null,
  RequestedBy: request.requestedBy ?? null,
  CreatedAt: request.createdAt,
  UpdatedAt: request.updatedAt,
  ExpiresAt: request.expiresAt ?? null,
  Signers: signersInOrder(request).map(([signerId, signer]) => ({
    SignerId: signerId,
    Name: signer.name,
    Email: signer.email,
    Order: groupOf(signer),
    Status: signer.status,
    ViewedAt: signer.viewedAt ?? null,
    SignedAt: signer.signedAt ?? null,
    // The name the signer signed with (their own by default): null until they sign.
    SignedName: signer.signedName ?? null,
    LastRemindedAt: signer.lastRemindedAt ?? null,
    // Which proof, never the code or its hash.
    Proof: signer.proof?.kind ?? null,
  })),
  Recall: request.recall ? { Reason: request.recall.reason, By: request.recall.by, At: request.recall.at } : null,
  // Correct and resend links the two requests both ways; the claim's other fields are internal.
  ReplacesSignRequestId: request.replaces ?? null,
  ReplacedBySignRequestId: request.resend?.signRequestId ?? null,
  // Only on a declined request, so every other read answers byte for byte as before declines existed.
  ...(request.decline
    ? { Decline: { SignerId: request.decline.signerId, Reason: request.decline.reason, At: request.decline.at } }
    : {}),
  History: request.history.map((entry) => ({
    At: entry.at,
    Event: entry.event,
    ...(entry.signerId ? { SignerId: entry.signerId } : {}),
    ...(entry.by ? { By: entry.by } : {}),
    ...(entry.signerIds ? { SignerIds: entry.signerIds } : {}),
    ...(entry.newSignerId ? { NewSignerId: entry.newSignerId } : {}),
    ...(entry.changed ? { Changed: entry.changed } : {}),
    // The evidence of an act (core/evidence.ts), when it was recorded: entries from before it, and acts without
    // a caller address (a direct invocation), show none.
    ...(entry.ip ? { Ip: entry.ip } : {}),
    ...(entry.userAgent ? { UserAgent: entry.userAgent } : {}),
    ...(entry.documentSha256 ? { DocumentSha256: entry.documentSha256 } : {}),
    ...(entry.proof ? { Proof: entry.proof } : {}),
  })),
  SenderEmail: request.senderEmail ?? null,
  RemindEveryDays: request.remindEveryDays ?? null,
  RecallAfterFailedProofs: request.recallAfterFailedProofs ?? null,
});

/** What a signer sees on opening their link: the document and their own part, never the other signers. */
export const presentSigningView = (
  request: SignRequest,
  signerId: string,
  signer: Signer,
  viewedAt: string | undefined,
  now: string,
) => ({
  SignRequestId: request.id,
  RequestNo: request.requestNo,
  Status: statusAt(request, now),
  DocumentName: request.documentName,
  Message: request.message ?? null,
  RequestedBy: request.requestedBy ?? null,
  ExpiresAt: request.expiresAt ?? null,
  SignerId: signerId,
  SignerName: signer.name,
  SignerStatus: signer.status,
  SignerOrder: groupOf(signer),
  YourTurn: wasReached(request, signer),
  ViewedAt: viewedAt ?? null,
  SignedAt: signer.signedAt ?? null,
});

export const presentSignature = (plan: SignaturePlan, status: SignRequestStatus) => ({
  SignRequestId: plan.signRequestId,
  SignerId: plan.signerId,
  SignerStatus: 'SIGNED' as const,
  Status: status,
});

/**
 * A list item: the summary GSI1 holds, its status as a reader sees it at `now` (as the read shows it), and its
 * signing order's group invited now (read from the item with the page).
 */
export const presentSummary = (summary: ListPage['items'][number], now: string) => ({
  SignRequestId: summary.id,
  RequestNo: summary.requestNo,
  Status: statusAt(summary, now),
  DocumentName: summary.documentName,
  CreatedAt: summary.createdAt,
  UpdatedAt: summary.updatedAt,
  ExpiresAt: summary.expiresAt ?? null,
  SignerCount: summary.signerCount,
  SignedCount: summary.signedCount,
  CurrentOrder: summary.currentOrder,
});

export const presentDecline = (plan: DeclinePlan) => ({
  SignRequestId: plan.signRequestId,
  SignerId: plan.record.signerId,
  Status: 'DECLINED' as const,
});

/** A one-time code was mailed: until when it is good. Never the code, nor anything of its hash. */
export const presentCodeSent = (plan: CodeSendPlan) => ({ Sent: true as const, ExpiresAt: plan.expiresAt });
