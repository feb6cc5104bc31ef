import { refusals, type DomainError } from '../../functions/core/errors.ts';
import { InitiateInput } from '../../functions/handlers/initiate.ts';
import { ReadInput } from '../../functions/handlers/read.ts';
import { RecallInput } from '../../functions/handlers/recall.ts';
import { RemindInput } from '../../functions/handlers/remind.ts';
import { SignInput } from '../../functions/handlers/sign.ts';
import { SigningViewInput } from '../../functions/handlers/signing-view.ts';
import type { AppAuth, BodyRule } from '../../functions/http/route.ts';
import type { RouteKey } from '../../functions/routes.ts';
import type * as z from '../../functions/zod.ts';
import { CreatedData, RecallData, RemindData, SignRequestData, SignatureData, SigningViewData } from './responses.ts';

/** A route answered with the envelope: what it reads, who may call it, what it answers and refuses. */
export interface EnvelopeOperation {
  kind: 'envelope';
  operationId: string;
  tag: 'Sign requests' | 'Signing';
  summary: string;
  description: string;
  /** The schema the handler validates with: its path parameters and body fields together. */
  input: z.ZodMiniType;
  parameterDescriptions: Record<string, string>;
  /** As the handler's httpRoute definition says: where the app token is, whether a body is read. */
  auth: AppAuth;
  body: BodyRule;
  /** Whether the route honours an Idempotency-Key (its httpRoute definition has `idempotency`). */
  idempotent: boolean;
  /** A body the handler refuses field by field: the validation example is what the handler answers to it. */
  invalidBody?: Record<string, unknown>;
  requestExample?: Record<string, unknown>;
  success: { status: 200 | 201; description: string; data: z.ZodMiniType; example: unknown };
  /** The business refusals this route can answer (functions/core/errors.ts), each with an example message. */
  refusals: DomainError[];
}

/** A route that answers a document of its own (the OpenAPI document, the docs page) instead of the envelope. */
export interface DocumentOperation {
  kind: 'document';
  operationId: string;
  tag: 'Reference';
  summary: string;
  description: string;
  mediaType: string;
}

export type Operation = EnvelopeOperation | DocumentOperation;

const ID = '01HV6MEARQD3X8ZXXX5FR3YDB8';
const SIGNER_ID = '01HV6MEARQD3X8ZXXX5FR3YDB9';
const AT = '2030-01-02T09:30:00.000Z';
const SIGNING_TOKEN = `${ID}.${SIGNER_ID}.JzV6c2lnbmluZy1zZWNyZXQtZXhhbXBsZQ`;
const signingTokenDescription =
  "The token at the end of the signer's SigningUrl: the link is the signer's only credential.";

/**
 * Every route of the route table, described once, by its route key: a route added to functions/routes.ts
 * without a description here fails the type-check.
 */
export const operations: Record<RouteKey, Operation> = {
  'POST /v1/sign-requests': {
    kind: 'envelope',
    operationId: 'initiateSignRequest',
    tag: 'Sign requests',
    summary: 'Initiate a sign request',
    description:
      'Numbers the request (`RequestNo`, per app) and creates it with one signing link per signer. The links ' +
      'are in this answer only (and in a replay with the same `Idempotency-Key`): the service never stores them.',
    input: InitiateInput,
    parameterDescriptions: {},
    auth: 'body',
    body: 'json',
    idempotent: true,
    requestExample: {
      appToken: 'esr_3q2-example-app-token',
      documentName: 'Master Services Agreement.pdf',
      signers: [{ name: 'Asha Rao', email: 'asha@example.com' }],
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
    refusals: [refusals.mailCapReached(10_000, 36_000)],
  },
  'POST /v1/sign-requests/recall': {
    kind: 'envelope',
    operationId: 'recallSignRequest',
    tag: 'Sign requests',
    summary: 'Recall (cancel) a sign request',
    description:
      "KAiZEN eSign's recall call. One conditional write decides it: a request that is `PENDING` or " +
      '`PARTIALLY_SIGNED` and not past its `expiresAt` is cancelled, and every signing link of it answers 410 ' +
      'from then on. A malformed id answers 404 without a store call.',
    input: RecallInput,
    parameterDescriptions: {},
    auth: 'body',
    body: 'json',
    idempotent: true,
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
    success: {
      status: 200,
      description: 'The request as stored now. Signing links are never part of it.',
      data: SignRequestData,
      example: {
        SignRequestId: ID,
        RequestNo: 'KAiZEN-2',
        Status: 'CANCELLED',
        DocumentName: 'Master Services Agreement.pdf',
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
            Status: 'PENDING',
            ViewedAt: '2030-01-02T09:10:00.000Z',
            SignedAt: null,
            SignedName: null,
            LastRemindedAt: null,
          },
        ],
        Recall: { Reason: 'Request raised mistakenly', By: 'Mohit Bansal', At: AT },
        History: [
          { At: '2030-01-02T09:00:00.000Z', Event: 'CREATED' },
          { At: '2030-01-02T09:10:00.000Z', Event: 'VIEWED', SignerId: SIGNER_ID },
          { At: AT, Event: 'RECALLED', By: 'Mohit Bansal' },
        ],
        SenderEmail: null,
        RemindEveryDays: null,
      },
    },
    refusals: [refusals.signRequestNotFound()],
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
  'GET /v1/signing/{signingToken}': {
    kind: 'envelope',
    operationId: 'openSigningLink',
    tag: 'Signing',
    summary: 'A signer opens their link',
    description:
      'What the signer needs to see, never the other signers. The first open by a signer who has not signed is ' +
      'recorded (`ViewedAt`, a `VIEWED` history entry); later opens write nothing.',
    input: SigningViewInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'none',
    idempotent: false,
    success: {
      status: 200,
      description: 'The document and this signer’s part.',
      data: SigningViewData,
      example: {
        SignRequestId: ID,
        RequestNo: 'KAiZEN-2',
        Status: 'PENDING',
        DocumentName: 'Master Services Agreement.pdf',
        Message: null,
        RequestedBy: null,
        ExpiresAt: null,
        SignerId: SIGNER_ID,
        SignerName: 'Asha Rao',
        SignerStatus: 'PENDING',
        ViewedAt: AT,
        SignedAt: null,
      },
    },
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.tooManyConflicts(),
    ],
  },
  'POST /v1/signing/{signingToken}/sign': {
    kind: 'envelope',
    operationId: 'signSignRequest',
    tag: 'Signing',
    summary: 'A signer signs',
    description:
      'Answers the request’s status after this signature: `COMPLETED` for the signature that completes it. The ' +
      'body is optional; `signedName` defaults to the signer’s name.',
    input: SignInput,
    parameterDescriptions: { signingToken: signingTokenDescription },
    auth: 'none',
    body: 'optional-json',
    idempotent: false,
    requestExample: { signedName: 'Asha Rao' },
    invalidBody: { signedName: '' },
    success: {
      status: 200,
      description: 'Signed.',
      data: SignatureData,
      example: { SignRequestId: ID, SignerId: SIGNER_ID, SignerStatus: 'SIGNED', Status: 'PARTIALLY_SIGNED' },
    },
    refusals: [
      refusals.signingLinkNotFound(),
      refusals.signingCancelled(AT, 'Request raised mistakenly'),
      refusals.signingExpired(),
      refusals.signingCompleted(),
      refusals.alreadySigned(),
      refusals.tooManyConflicts(),
    ],
  },
  'GET /openapi.json': {
    kind: 'document',
    operationId: 'getOpenApiDocument',
    tag: 'Reference',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of this API, generated from the schemas the handlers validate with.',
    mediaType: 'application/json',
  },
  'GET /docs': {
    kind: 'document',
    operationId: 'getDocsPage',
    tag: 'Reference',
    summary: 'The API reference page',
    description: 'A browsable reference of this document (Redoc), served with its script by this API alone.',
    mediaType: 'text/html',
  },
  'GET /docs/redoc.standalone.js': {
    kind: 'document',
    operationId: 'getDocsScript',
    tag: 'Reference',
    summary: 'The reference page’s script',
    description: 'Redoc’s standalone bundle, which the page at /docs loads.',
    mediaType: 'text/javascript',
  },
};
