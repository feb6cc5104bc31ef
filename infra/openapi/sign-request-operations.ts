import { refusals } from '../../functions/core/errors.ts';
import { DEFAULT_LIST_LIMIT, ListQuery, MAX_LIST_LIMIT } from '../../functions/contracts/list.ts';
import { InitiateInput } from '../../functions/contracts/initiate.ts';
import { ReadInput } from '../../functions/contracts/read.ts';
import { RecallInput } from '../../functions/contracts/recall.ts';
import { RemindInput } from '../../functions/contracts/remind.ts';
import { ResendInput } from '../../functions/contracts/resend.ts';
import { UploadInput } from '../../functions/contracts/upload.ts';
import type { RouteKey } from '../../functions/routes.ts';
import * as z from '../../functions/zod.ts';
import { AT, DOCUMENT_ID, ID, REPLACEMENT_ID, REPLACEMENT_SIGNER_ID, SIGNER_ID, SIGNING_TOKEN } from './examples.ts';
import type { EnvelopeOperation } from './operations.ts';
import { CreatedData, ListData, RecallData, RemindData, ResentData, SignRequestData, UploadData } from './responses.ts';

/** The app's calls on its sign requests (tag "Sign requests"), by route key. */
export const signRequestOperations = {
  'GET /v1/sign-requests': {
    kind: 'envelope',
    operationId: 'listSignRequests',
    tag: 'Sign requests',
    summary: 'List the app’s sign requests',
    description:
      'This app’s requests only, newest first (by `CreatedAt`), a page at a time: a summary of each, read from ' +
      'an index that is eventually consistent (a request created a moment ago may not be listed yet). Pass ' +
      '`NextCursor` back as `cursor`, with the same filters, until it is null. A page may hold fewer than `limit` ' +
      'items, even none, and still have a `NextCursor`: only a null `NextCursor` ends the list. Paging never ' +
      'repeats or skips a request that existed when the first page was read; requests created since are on a ' +
      'new first page.',
    input: z.strictObject({}),
    query: {
      schema: ListQuery,
      schemas: {
        limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT },
      },
      invalid: { status: 'OPEN', limit: '0', created_from: '2030-01-01' },
    },
    parameterDescriptions: {
      status:
        'Only requests in this status as a reader sees it now: an open request past its `expiresAt` lists under ' +
        '`EXPIRED`, not under `PENDING` or `PARTIALLY_SIGNED`.',
      limit: `At most this many items (1-${MAX_LIST_LIMIT}, default ${DEFAULT_LIST_LIMIT}).`,
      cursor:
        'The `NextCursor` of the previous page, as it was. Good only for this app and the same `status`, ' +
        '`createdFrom` and `createdTo` (`limit` may change); any other cursor is refused (`INVALID_CURSOR`).',
      createdFrom: 'Only requests created at or after this time.',
      createdTo: 'Only requests created at or before this time; not before `createdFrom`.',
    },
    auth: 'bearer',
    body: 'none',
    idempotent: false,
    success: {
      status: 200,
      description: 'A page of the app’s requests, newest first.',
      data: ListData,
      example: {
        Items: [
          {
            SignRequestId: ID,
            RequestNo: 'KAiZEN-2',
            Status: 'PARTIALLY_SIGNED',
            DocumentName: 'Master Services Agreement.pdf',
            CreatedAt: '2030-01-02T09:00:00.000Z',
            UpdatedAt: AT,
            ExpiresAt: '2030-01-31T17:00:00.000Z',
            SignerCount: 2,
            SignedCount: 1,
            CurrentOrder: 1,
          },
        ],
        NextCursor: 'MjAzMC0wMS0wMlQwOTowMDowMC4wMDBaIzAxSFY2TUVBUlFEM1g4WlhYWDVGUjNZREI4.Vx2Qm9…',
      },
    },
    refusals: [refusals.invalidCursor()],
  },
  'POST /v1/sign-requests': {
    kind: 'envelope',
    operationId: 'initiateSignRequest',
    tag: 'Sign requests',
    summary: 'Initiate a sign request',
    description:
      'Numbers the request (`RequestNo`, per app) and creates it with one signing link per signer. The links ' +
      'are in this answer only (and in a replay with the same `Idempotency-Key`): the service never stores them. ' +
      'Its PDF, if any, is given inline (`document`, up to 4 MiB) or as the `documentId` of an upload ' +
      '(`POST /v1/documents`, up to 25 MiB), never both. The service reads an upload’s bytes, checks them against ' +
      'the declared size and SHA-256 and as a PDF, and lets one request use it: another initiate naming it is ' +
      '409 `DOCUMENT_ALREADY_USED` (an `Idempotency-Key` retry of the same call gets its first answer).',
    input: InitiateInput,
    parameterDescriptions: {},
    auth: 'body',
    body: 'json',
    idempotent: true,
    requestExample: {
      appToken: 'esr_3q2-example-app-token',
      documentName: 'Master Services Agreement.pdf',
      signers: [{ name: 'Asha Rao', email: 'asha@example.com', order: 1 }],
      message: 'Please sign by Friday.',
      expiresAt: '2030-01-31T17:00:00Z',
      requestedBy: 'Mohit Bansal',
    },
    invalidBody: { appToken: 'esr_…', documentName: '', signers: [], expires_at: '2030-01-31T17:00:00Z' },
    success: {
      status: 201,
      description: 'The request, created, with each signer’s link.',
      data: CreatedData,
      example: {
        SignRequestId: ID,
        RequestNo: 'KAiZEN-2',
        Status: 'PENDING',
        Signers: [
          {
            SignerId: SIGNER_ID,
            Name: 'Asha Rao',
            Email: 'asha@example.com',
            SigningUrl: `http://localhost:3000/v1/signing/${SIGNING_TOKEN}`,
          },
        ],
      },
    },
    refusals: [
      refusals.documentRefused('DOCUMENT_INVALID', 'The document is not a PDF: it has no %PDF- header.'),
      refusals.documentRefused(
        'DOCUMENT_TOO_LARGE',
        'The document is 5000000 bytes; the most accepted here is 4194304 bytes.',
      ),
      refusals.documentRefused(
        'DOCUMENT_HASH_MISMATCH',
        'The document does not hash to the SHA-256 declared for it.',
        'documentId',
      ),
      refusals.uploadNotFound(),
      refusals.uploadMissing(),
      refusals.uploadExpired('2030-01-03T09:30:00.000Z'),
      refusals.uploadAlreadyUsed(ID),
      refusals.mailCapReached(10_000, 36_000),
      refusals.dailyQuotaExceeded(1_000, 36_000),
    ],
  },
  'POST /v1/documents': {
    kind: 'envelope',
    operationId: 'createUpload',
    tag: 'Sign requests',
    summary: 'Upload a document larger than inline allows',
    description:
      'For a PDF of up to 25 MiB: declare its file name, exact size and SHA-256, then PUT its bytes to the ' +
      '`UploadUrl` (with `Content-Type: application/pdf`; S3 refuses any other length), then initiate with ' +
      '`documentId`. The upload may be used by one request, within 24 hours. Nothing is checked until initiate, ' +
      'which reads the bytes and refuses what does not match (`DOCUMENT_HASH_MISMATCH`, `DOCUMENT_TOO_LARGE`) or ' +
      'is no readable PDF (`DOCUMENT_INVALID`). A replay with the same `Idempotency-Key` answers the same upload ' +
      'and URL.',
    input: UploadInput,
    parameterDescriptions: {},
    auth: 'bearer',
    body: 'json',
    idempotent: true,
    requestExample: {
      fileName: 'Master Services Agreement.pdf',
      size: 7_340_032,
      sha256: '9f2c4be1d0a8e7f6c5b4a3928170f6e5d4c3b2a19081726354f6e7d8c9b0a1f2',
    },
    invalidBody: { fileName: 'contract.docx', size: 0, sha256: 'not-hex' },
    success: {
      status: 201,
      description: 'The upload, with the URL to PUT the PDF to.',
      data: UploadData,
      example: {
        DocumentId: DOCUMENT_ID,
        UploadUrl:
          `https://esign-documents.s3.eu-west-1.amazonaws.com/uploads/01HV6M9ZK3P4Q5R6S7T8V9W0XY/${DOCUMENT_ID}.pdf` +
          '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost' +
          '&X-Amz-Signature=…',
        ExpiresAt: '2030-01-02T09:45:00.000Z',
      },
    },
    refusals: [
      refusals.documentRefused(
        'DOCUMENT_TOO_LARGE',
        'The document is 30000000 bytes; the most accepted here is 26214400 bytes.',
        'size',
      ),
    ],
  },
  'POST /v1/sign-requests/recall': {
    kind: 'envelope',
    operationId: 'recallSignRequest',
    tag: 'Sign requests',
    summary: 'Recall (cancel) a sign request',
    description:
      "KAiZEN eSign's recall call. One conditional write decides it: a request that is `PENDING` or " +
      '`PARTIALLY_SIGNED` and not past its `expiresAt` is cancelled, and every signing link of it answers 410 ' +
      'from then on. A malformed id answers 404 without a store call. With `If-Match` (the read’s `ETag`) it lands ' +
      'only on that version, in the same one write: a stale one answers 412 and changes nothing.',
    input: RecallInput,
    parameterDescriptions: {},
    auth: 'body',
    body: 'json',
    idempotent: true,
    conditional: true,
    requestExample: {
      signRequestId: ID,
      appToken: 'esr_3q2-example-app-token',
      recallReason: 'Request raised mistakenly',
      recalledBy: 'Mohit Bansal',
    },
    invalidBody: { appToken: 'esr_…', signRequestId: ID },
    success: { status: 200, description: 'The request is cancelled.', data: RecallData, example: true },
    refusals: [
      refusals.signRequestNotFound(),
      refusals.alreadyCancelled(),
      refusals.alreadyCompleted(),
      refusals.expiredNotRecallable(),
      refusals.alreadyDeclined(),
      refusals.preconditionFailed(),
      refusals.tooManyConflicts(),
    ],
  },
  'POST /v1/sign-requests/{signRequestId}/resend': {
    kind: 'envelope',
    operationId: 'resendSignRequest',
    tag: 'Sign requests',
    summary: 'Correct and resend a cancelled, expired or declined request',
    description:
      'Creates a new request from a `CANCELLED`, `EXPIRED` or `DECLINED` one (an open one past its `expiresAt` counts as ' +
      'expired): the same document name, message, requester and signers (names, emails, order) unless the body ' +
      'changes them; the deadline carries over only while still ahead. Answers like initiate (a new id, a new ' +
      '`RequestNo`, new signing links) plus `ReplacesSignRequestId`; the old request’s read then shows ' +
      '`ReplacedBySignRequestId`. A request is resent at most once, whatever runs at the same time or fails ' +
      'where: one conditional write on the old request claims the resend. The body is optional.',
    input: ResendInput,
    parameterDescriptions: { signRequestId: 'The `SignRequestId` of the cancelled, expired or declined request.' },
    auth: 'bearer',
    body: 'optional-json',
    idempotent: true,
    conditional: true,
    requestExample: {
      documentName: 'Master Services Agreement v2.pdf',
      signers: [{ name: 'Asha Rao', email: 'asha.rao@example.com' }],
    },
    invalidBody: { signers: [], expires_at: '2030-01-31T17:00:00Z' },
    success: {
      status: 201,
      description: 'The new request, created, with each signer’s link and the id of the request it replaces.',
      data: ResentData,
      example: {
        SignRequestId: REPLACEMENT_ID,
        RequestNo: 'KAiZEN-3',
        Status: 'PENDING',
        Signers: [
          {
            SignerId: REPLACEMENT_SIGNER_ID,
            Name: 'Asha Rao',
            Email: 'asha.rao@example.com',
            SigningUrl: `http://localhost:3000/v1/signing/${REPLACEMENT_ID}.${REPLACEMENT_SIGNER_ID}.JzV6c2lnbmluZy1zZWNyZXQtZXhhbXBsZQ`,
          },
        ],
        ReplacesSignRequestId: ID,
      },
    },
    refusals: [
      refusals.signRequestNotFound(),
      refusals.resendOfOpen(),
      refusals.resendOfCompleted(),
      refusals.alreadyResent(REPLACEMENT_ID),
      refusals.preconditionFailed(),
      refusals.mailCapReached(10_000, 36_000),
      refusals.dailyQuotaExceeded(1_000, 36_000),
      refusals.tooManyConflicts(),
    ],
  },
  'GET /v1/sign-requests/{signRequestId}': {
    kind: 'envelope',
    operationId: 'readSignRequest',
    tag: 'Sign requests',
    summary: 'Read a sign request',
    description:
      'Its status, signers, recall record and history. Another app’s request answers exactly like a missing one.',
    input: ReadInput,
    parameterDescriptions: { signRequestId: 'The `SignRequestId` initiate answered (a ULID).' },
    auth: 'bearer',
    body: 'none',
    idempotent: false,
    etag: true,
    success: {
      status: 200,
      description: 'The request as stored now. Signing links are never part of it.',
      data: SignRequestData,
      example: {
        SignRequestId: ID,
        RequestNo: 'KAiZEN-2',
        Status: 'CANCELLED',
        DocumentName: 'Master Services Agreement.pdf',
        Document: {
          Name: 'MSA.pdf',
          Sha256: '9f2c5a0e6b1d4c7e8a3f0b2d5e6c7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f',
          Size: 48213,
          Pages: 3,
        },
        // A cancelled request has none: only a completed one's is made.
        SignedDocument: null,
        Message: null,
        RequestedBy: null,
        CreatedAt: '2030-01-02T09:00:00.000Z',
        UpdatedAt: AT,
        ExpiresAt: null,
        Signers: [
          {
            SignerId: SIGNER_ID,
            Name: 'Asha Rao',
            Email: 'asha@example.com',
            Order: 1,
            Proof: 'ACCESS_CODE',
            Status: 'PENDING',
            ViewedAt: '2030-01-02T09:10:00.000Z',
            SignedAt: null,
            SignedName: null,
            LastRemindedAt: null,
          },
        ],
        Recall: { Reason: 'Request raised mistakenly', By: 'Mohit Bansal', At: AT },
        ReplacesSignRequestId: null,
        ReplacedBySignRequestId: REPLACEMENT_ID,
        History: [
          { At: '2030-01-02T09:00:00.000Z', Event: 'CREATED' },
          {
            At: '2030-01-02T09:10:00.000Z',
            Event: 'VIEWED',
            SignerId: SIGNER_ID,
            Proof: 'ACCESS_CODE',
            Ip: '203.0.113.7',
            UserAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36',
          },
          { At: AT, Event: 'RECALLED', By: 'Mohit Bansal', Ip: '198.51.100.20', UserAgent: 'kaizen-backend/2.4' },
        ],
        SenderEmail: null,
        RemindEveryDays: null,
        RecallAfterFailedProofs: null,
      },
    },
    refusals: [refusals.signRequestNotFound()],
  },
  'GET /v1/sign-requests/{signRequestId}/document': {
    kind: 'envelope',
    operationId: 'readSignRequestDocument',
    tag: 'Sign requests',
    summary: 'Read a sign request’s original PDF',
    description:
      'The very bytes initiate was given (`document` or `documentId`), as a PDF (their SHA-256 is the read’s ' +
      '`Document.Sha256` and this answer’s `ETag`). A document over 4 MiB (only an uploaded one can be) is too ' +
      'large for the function’s answer: it answers 303 See Other instead, its `Location` a presigned S3 GET of ' +
      'the same bytes, valid 5 minutes, with the same type and disposition (follow it without the Authorization ' +
      'header; curl -L and fetch drop it across hosts). A request without a document answers 404 ' +
      '`DOCUMENT_NOT_FOUND`; another app’s request answers exactly like a missing one.',
    input: ReadInput,
    parameterDescriptions: { signRequestId: 'The `SignRequestId` initiate answered (a ULID).' },
    auth: 'bearer',
    body: 'none',
    idempotent: false,
    success: { status: 200, description: 'The original PDF.', data: z.boolean(), example: true },
    redirect: {
      status: 303,
      description: 'A document over 4 MiB: fetch it from S3, at `Location`, without the Authorization header.',
      location: 'A presigned S3 GET of the same bytes, valid 5 minutes, answered with the same type and disposition',
    },
    file: {
      mediaType: 'application/pdf',
      headers: {
        'Content-Disposition': 'inline, with the file name initiate was given (`filename` and `filename*`)',
        ETag: 'The document’s SHA-256 (hex), quoted',
        'Cache-Control': 'no-store',
      },
    },
    refusals: [refusals.signRequestNotFound(), refusals.documentNotFound()],
  },
  'POST /v1/sign-requests/{signRequestId}/remind': {
    kind: 'envelope',
    operationId: 'remindSigners',
    tag: 'Sign requests',
    summary: 'Remind the signers who have not signed',
    description:
      'E-mails each signer who has not signed their signing link again, at most once an hour per signer. Signers ' +
      'reminded within the hour are left out and listed in `NotYet`; when that is every signer left, the answer ' +
      'is 429 `REMIND_TOO_SOON` with `Retry-After` (seconds). Concurrent calls remind each signer once. Another ' +
      'app’s request answers exactly like a missing one.',
    input: RemindInput,
    parameterDescriptions: { signRequestId: 'The `SignRequestId` initiate answered (a ULID).' },
    auth: 'bearer',
    body: 'optional-json',
    idempotent: false,
    success: {
      status: 200,
      description: 'Whom this call reminded, and who may be reminded again when.',
      data: RemindData,
      example: { SignRequestId: ID, RemindedAt: AT, Reminded: [SIGNER_ID], NotYet: [] },
    },
    refusals: [
      refusals.signRequestNotFound(),
      refusals.requestClosed('CANCELLED'),
      refusals.reminderLimitReached(100),
      refusals.remindTooSoon(1800),
      refusals.mailCapReached(10_000, 36_000),
      refusals.tooManyConflicts(),
    ],
  },
} satisfies Partial<Record<RouteKey, EnvelopeOperation>>;
