import { isDeepStrictEqual } from 'node:util';
import type { App } from '../core/app.ts';
import { newId } from '../core/ids.ts';
import { newSignRequest, type InitiateCommand, type SecretFor } from '../core/initiate.ts';
import { withStoredProofs, type SignerProofInput } from '../core/signer-proof.ts';
import { formatRequestNo } from '../core/request-no.ts';
import type { SignRequest, StoredDocument } from '../core/sign-request.ts';
import type { DocumentCheck } from '../documents/document-check.ts';
import { originalDocumentKey } from '../documents/document-keys.ts';
import { MAX_INLINE_DOCUMENT_BYTES } from '../core/document-limits.ts';
import type { DocumentBucket } from '../documents/document-bucket.ts';
import type { AppStore } from '../store/apps.ts';
import { refusals } from '../core/errors.ts';
import type { InitiateClaimStore } from '../store/initiate-claims.ts';
import { secondsToNextUtcDay, type MailCapStore } from '../store/mail-cap.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';
import { settleWrite } from './unknown-outcome.ts';
import { checkUploadedDocument, useUpload, type UploadedDocumentDependencies } from './uploaded-document.ts';

export interface InitiateDependencies {
  appStore: Pick<AppStore, 'nextRequestNumber'>;
  signRequests: Pick<SignRequestStore, 'create' | 'get'>;
  initiateClaims: Pick<InitiateClaimStore, 'claim'>;
  mailCap: Pick<MailCapStore, 'take' | 'giveBack' | 'dailyCap'>;
  requestNoPrefix: string;
  secretFor: SecretFor;
  clock?: Clock;
  /** Only a request given a document (inline, or by an upload's id) reaches these. */
  inspectDocument?: (bytes: Uint8Array, maxBytes: number) => Promise<DocumentCheck>;
  documents?: Pick<DocumentBucket, 'putPending' | 'keep' | 'readAtMost'>;
  uploads?: UploadedDocumentDependencies['uploads'];
}

/** A PDF given inline: its file name and its decoded bytes, not yet checked. */
export interface InlineDocument {
  name: string;
  bytes: Uint8Array;
}

/** The app's daily quota of new requests (its limits), when it has one: the route passes it from the app. */
export interface QuotaOfApp {
  dailyQuota?: number;
}

/** The daily quota an authenticated app carries in its limits, as a workflow takes it. */
export const quotaOf = (app: App): QuotaOfApp =>
  app.limits?.dailyQuota === undefined ? {} : { dailyQuota: app.limits.dailyQuota };

/**
 * The request's number, counted against the app's daily quota in the same one write. Over the quota nothing is
 * counted, and the mail this call counted is given back: no request, so no invitation, will come of it.
 */
export const drawRequestNumber = async (
  deps: { appStore: InitiateDependencies['appStore']; mailCap: Pick<MailCapStore, 'giveBack'> },
  { appId, dailyQuota }: { appId: string } & QuotaOfApp,
  countedMail: number,
  at: string,
): Promise<number> => {
  const quota = dailyQuota === undefined ? undefined : { perDay: dailyQuota, at };
  const drawn = await deps.appStore.nextRequestNumber(appId, quota);
  if (drawn.ok) return drawn.n;
  await deps.mailCap.giveBack(appId, countedMail, at);
  throw refusals.dailyQuotaExceeded(dailyQuota ?? 0, secondsToNextUtcDay(at));
};

/** The service's own check of the bytes: a refusal (DOCUMENT_INVALID, DOCUMENT_TOO_LARGE) before anything is made. */
const checkDocument = async (deps: InitiateDependencies, document: InlineDocument) => {
  if (!deps.inspectDocument || !deps.documents) throw new Error('initiate was given a document but no document store');
  const check = await deps.inspectDocument(document.bytes, MAX_INLINE_DOCUMENT_BYTES);
  if (!check.ok) throw refusals.documentRefused(check.code, check.reason);
  return { name: document.name, bytes: document.bytes, sha256: check.sha256, size: check.size, pages: check.pages };
};

/** The upload's checks (workflows/uploaded-document.ts), with the stores only a document-taking initiate has. */
const checkUpload = (deps: InitiateDependencies, checks: Parameters<typeof checkUploadedDocument>[1]) => {
  const { uploads, documents, inspectDocument } = deps;
  if (!uploads || !documents || !inspectDocument) throw new Error('initiate was given a documentId but no uploads');
  return checkUploadedDocument({ uploads, documents, inspectDocument, signRequests: deps.signRequests }, checks);
};

const isSameRequest = (stored: SignRequest | undefined, request: SignRequest): boolean =>
  stored !== undefined && isDeepStrictEqual(stored, request);

/**
 * Checks the document first, if there is one (inline, or the upload `documentId` names): a refused document makes
 * nothing (no claim, no count, no number). An upload is then claimed for this request by one conditional write,
 * after the number is drawn, as a resend's claim is: a call that loses it to another request gives its mail
 * count back and is refused (409), its number a gap.
 * Numbers the request in the app's sequence, puts the document's bytes tagged pending (before the item, so a
 * request never names a missing document), then creates it as one item that can never be overwritten, then
 * marks the bytes kept; bytes whose request was never created stay pending and the bucket's lifecycle removes
 * them a day later. With an
 * Idempotency-Key, the key is first claimed for the new request's id: a call whose key an earlier call claimed
 * (its answer lost, so the caller tried again) answers the request that call made, or makes it under the same
 * id if it never landed. A number drawn by a call whose create then failed is skipped: a gap, never a duplicate.
 */
export const initiateSignRequest = async (
  deps: InitiateDependencies,
  {
    document,
    documentId,
    signers,
    ...command
  }: Omit<InitiateCommand, 'document' | 'signers'> &
    QuotaOfApp & {
      signers: readonly ({ name: string; email: string } & SignerProofInput)[];
      document?: InlineDocument;
      documentId?: string;
    },
  idempotencyKey?: string,
): Promise<SignRequest> => {
  const clock = deps.clock ?? systemClock;
  const uploaded = documentId
    ? await checkUpload(deps, { appId: command.appId, documentId, now: clock(), keyed: idempotencyKey !== undefined })
    : undefined;
  const upload = uploaded?.upload;
  const checked = document ? await checkDocument(deps, document) : uploaded;
  const drawn = newId();
  const id =
    idempotencyKey === undefined
      ? drawn
      : await deps.initiateClaims.claim(command.appId, idempotencyKey, drawn, new Date(clock()));
  if (id !== drawn) {
    const earlier = await deps.signRequests.get(id);
    if (earlier) {
      // The earlier call may have stopped between its create and marking the bytes kept.
      if (earlier.document) await deps.documents?.keep(earlier.document.key);
      return earlier;
    }
  }
  // Used by another request already (seen by a keyed call, which may be this request's own retry): refused now.
  if (upload?.usedBy !== undefined && upload.usedBy !== id) throw refusals.uploadAlreadyUsed(upload.usedBy);
  // The invitations count against the app's daily mail cap before anything is written: over it, nothing is made.
  // A create that then fails keeps its count (the safe side of a cap).
  const invitations = command.sendInvitations === false ? 0 : signers.length;
  const now = clock();
  if (!(await deps.mailCap.take(command.appId, invitations, now)))
    throw refusals.mailCapReached(deps.mailCap.dailyCap, secondsToNextUtcDay(now));
  const n = await drawRequestNumber(deps, command, invitations, now);
  const lost =
    upload && deps.uploads
      ? await useUpload({ uploads: deps.uploads }, upload, id, clock(), uploaded.abandonedClaim)
      : undefined;
  if (lost) {
    // Another request has the upload: no request, so no invitation, will come of this call.
    await deps.mailCap.giveBack(command.appId, invitations, now);
    throw lost;
  }
  let stored: StoredDocument | undefined;
  if (checked) {
    // An upload's bytes are put again under the request, as inline ones are: the very bytes checked, whatever
    // a still-valid upload URL PUTs over the upload meanwhile, and out of reach of the uploads' lifecycle.
    const { bytes, name, sha256, size, pages } = checked;
    stored = { name, sha256, size, pages, key: originalDocumentKey(command.appId, id) };
    await deps.documents?.putPending(stored.key, bytes, stored.sha256);
  }
  // Hashed only for a request this call creates (a replay answers the stored one): a code is never kept in clear.
  const request = newSignRequest(
    { ...command, signers: await withStoredProofs(signers), ...(stored ? { document: stored } : {}) },
    formatRequestNo(deps.requestNoPrefix, n),
    clock(),
    deps.secretFor,
    id,
  );
  const created = await settleWrite(
    deps.signRequests,
    request.id,
    () => deps.signRequests.create(request),
    (found) => isSameRequest(found, request),
  );
  // Its id is a ULID drawn a moment ago: an item under it already is this call's own create, whose answer was
  // lost and whose retry the store refused. Anything else under it is a fault to report, not a refusal to give.
  if (!created.ok && !isSameRequest(created.current, request)) {
    throw new Error(`a sign request with the new id ${request.id} exists already`);
  }
  if (stored) await deps.documents?.keep(stored.key);
  return request;
};
