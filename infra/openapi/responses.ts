import { SignRequestStatus, SignerStatus, type HistoryEvent } from '../../functions/core/sign-request.ts';
import type {
  presentSummary,
  presentCodeSent,
  presentChangedSigner,
  presentDecline,
  presentRemovedSigner,
  presentSignRequest,
  presentSignature,
  presentSigningView,
  withSigningUrls,
} from '../../functions/http/presenters.ts';
import * as z from '../../functions/zod.ts';

/**
 * What each route answers in `Data`, as zod schemas the document is generated from. The presenters
 * (functions/http/presenters.ts) build these answers without a schema, so the checks at the end of this file make
 * the type-check fail when a presenter and its schema here stop describing the same fields.
 */

const statuses = Object.values(SignRequestStatus) as [SignRequestStatus, ...SignRequestStatus[]];
const signerStatuses = Object.values(SignerStatus) as [SignerStatus, ...SignerStatus[]];
const historyEvents = [
  'CREATED',
  'VIEWED',
  'SIGNED',
  'COMPLETED',
  'RECALLED',
  'EXPIRED',
  'DECLINED',
  'REMINDED',
  'SIGNED_DOCUMENT_READY',
  'INVITED',
  'SIGNER_CHANGED',
  'SIGNER_REMOVED',
  'AUTH_FAILED',
] as const satisfies readonly HistoryEvent[];

const ulid = z.string().check(z.length(26), z.describe('A ULID: 26 characters, Crockford base 32, upper case'));
const timestamp = z.string().check(z.describe('An ISO 8601 date-time in UTC, e.g. 2030-01-31T17:00:00.000Z'));
const nullableTimestamp = z.nullable(timestamp);
const Status = z.enum(statuses);
const SignerStatusSchema = z.enum(signerStatuses);

export const CreatedData = z.object({
  SignRequestId: ulid,
  RequestNo: z.string().check(z.describe('`<prefix>-<n>`, counting up per app from 1, e.g. KAiZEN-2')),
  Status,
  Signers: z.array(
    z.object({
      SignerId: ulid,
      Name: z.string(),
      Email: z.string(),
      SigningUrl: z
        .string()
        .check(z.describe("The signer's personal link: their only credential, to be sent to them alone")),
    }),
  ),
});

export const ResentData = z.extend(CreatedData, {
  ReplacesSignRequestId: ulid.check(z.describe('The request this one was resent from')),
});

export const RecallData = z.literal(true);

export const ChangedSignerData = z.object({
  SignRequestId: ulid,
  SignerId: ulid.check(z.describe('The new id of the signer changed: the id to use from now on')),
  ReplacedSignerId: ulid.check(z.describe('The id named in the path, which now names a former signer')),
  Name: z.string(),
  Email: z.string(),
  SigningUrl: z
    .string()
    .check(z.describe("The signer's new personal link (the old one answers 410): to be sent to them alone")),
});

export const RemovedSignerData = z.object({
  SignRequestId: ulid,
  RemovedSignerId: ulid,
  Status: Status.check(z.describe('The request’s status once the signer is gone: COMPLETED when all left had signed')),
  SignerCount: z.int().check(z.gte(1), z.lte(50)),
});

export const UploadData = z.object({
  DocumentId: ulid.check(z.describe('The upload’s id: pass it to initiate as `documentId`, once the PDF is PUT')),
  UploadUrl: z
    .string()
    .check(
      z.describe(
        'A presigned S3 URL: PUT the PDF’s exact bytes to it, with `Content-Type: application/pdf` and the declared ' +
          '`size` as Content-Length, before `ExpiresAt`. A credential, if a short-lived one: keep it to the uploader',
      ),
    ),
  ExpiresAt: timestamp.check(z.describe('When the UploadUrl stops working (15 minutes after the call)')),
});

export const SignRequestData = z.object({
  SignRequestId: ulid,
  RequestNo: z.string(),
  Status,
  DocumentName: z.string(),
  Document: z.nullable(
    z
      .object({
        Name: z.string(),
        Sha256: z.string().check(z.describe('SHA-256 of the exact bytes, lower-case hex, computed by the service')),
        Size: z.number().check(z.describe('Bytes')),
        Pages: z.number(),
      })
      .check(
        z.describe(
          'The PDF the request carries (initiate’s `document` or `documentId`), or null when it was given none',
        ),
      ),
  ),
  SignedDocument: z.nullable(
    z
      .object({
        Sha256: z
          .string()
          .check(z.describe('SHA-256 of the sealed file served at .../signed-document, lower-case hex')),
        Size: z.number().check(z.describe('Bytes')),
      })
      .check(
        z.describe(
          'The signed document (the original’s pages, then the certificate’s, sealed once), made moments after ' +
            'completion; null until it is made, and on every request that is not COMPLETED',
        ),
      ),
  ),
  Message: z.nullable(z.string()),
  RequestedBy: z.nullable(z.string()),
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  ExpiresAt: nullableTimestamp,
  Signers: z.array(
    z.object({
      SignerId: ulid,
      Name: z.string(),
      Email: z.string(),
      Order: z
        .number()
        .check(
          z.describe(
            'The signer’s place in the signing order (initiate’s `order`, 1 when none was given): the lowest order ' +
              'not yet all signed signs, its signers in parallel',
          ),
        ),
      Status: SignerStatusSchema,
      ViewedAt: nullableTimestamp,
      SignedAt: nullableTimestamp,
      SignedName: z.nullable(
        z.string().check(z.describe('The name the signer signed with (their Name unless they sent signedName)')),
      ),
      LastRemindedAt: nullableTimestamp,
      Proof: z.nullable(
        z
          .enum(['ACCESS_CODE', 'EMAIL'])
          .check(
            z.describe(
              'The proof this signer gives before seeing the document or acting: ACCESS_CODE (the code the app ' +
                'gave at initiate, never shown again), EMAIL (a one-time code mailed to them), null (the link alone)',
            ),
          ),
      ),
    }),
  ),
  Recall: z.nullable(z.object({ Reason: z.string(), By: z.string(), At: timestamp })),
  ReplacesSignRequestId: z.nullable(ulid.check(z.describe('The request this one was resent from (resend)'))),
  ReplacedBySignRequestId: z.nullable(ulid.check(z.describe('The request this one was resent as (resend)'))),
  Decline: z.optional(
    z
      .object({ SignerId: ulid, Reason: z.string(), At: timestamp })
      .check(z.describe('Only on a DECLINED request: which signer declined, why and when')),
  ),
  History: z.array(
    z.object({
      At: timestamp,
      Event: z.enum(historyEvents),
      SignerId: z.optional(ulid),
      By: z.optional(z.string()),
      SignerIds: z.optional(z.array(ulid).check(z.describe('REMINDED: the signers reminded'))),
      NewSignerId: z.optional(
        ulid.check(z.describe('SIGNER_CHANGED: the id of the signer who replaced `SignerId` (the old id)')),
      ),
      Changed: z.optional(
        z
          .array(z.enum(['name', 'email', 'order', 'proof']))
          .check(z.describe('SIGNER_CHANGED: the fields whose value changed; empty when only the link was renewed')),
      ),
      Ip: z.optional(
        z
          .string()
          .check(
            z.maxLength(45),
            z.describe(
              'VIEWED, SIGNED, DECLINED, RECALLED: the IPv4 or IPv6 address the act came from (the signer’s ' +
                'browser or client; for a recall, the app’s server). Absent when none was known (a direct ' +
                'invocation) or the entry predates it. Where a request came from, not who sent it.',
            ),
          ),
      ),
      UserAgent: z.optional(
        z
          .string()
          .check(
            z.maxLength(512),
            z.describe(
              'VIEWED, SIGNED, DECLINED, RECALLED: the User-Agent the caller sent, control characters removed, ' +
                'cut to 512 characters. Absent when none was sent.',
            ),
          ),
      ),
      DocumentSha256: z.optional(
        z
          .string()
          .check(
            z.regex(/^[0-9a-f]{64}$/),
            z.describe('SIGNED: the SHA-256 (hex) of the document the signer was shown, when the request has one'),
          ),
      ),
      Proof: z.optional(
        z
          .enum(['ACCESS_CODE', 'EMAIL'])
          .check(z.describe('VIEWED, SIGNED, DECLINED: the proof the signer gave; absent when none was asked')),
      ),
    }),
  ),
  SenderEmail: z.nullable(
    z.string().check(z.describe('Told of the recall, decline and completion, when initiate named it')),
  ),
  RemindEveryDays: z.nullable(z.number().check(z.describe('Automatic reminders every this many days, if asked'))),
  RecallAfterFailedProofs: z.nullable(
    z
      .int()
      .check(z.describe('The service recalls the request when one signer has given this many wrong proofs, if asked')),
  ),
});

export const RemindData = z.object({
  SignRequestId: ulid,
  RemindedAt: timestamp,
  Reminded: z.array(ulid).check(z.describe('The signers this call reminded (each gets one e-mail)')),
  NotYet: z.array(
    z.object({
      SignerId: ulid,
      RemindableAt: timestamp.check(z.describe('When this signer may be reminded again (an hour after the last)')),
    }),
  ),
});

export const ListData = z.object({
  Items: z.array(
    z.object({
      SignRequestId: ulid,
      RequestNo: z.string(),
      Status: Status.check(
        z.describe('As a reader sees it now: an open request past its ExpiresAt is EXPIRED, as the read shows it'),
      ),
      DocumentName: z.string(),
      CreatedAt: timestamp,
      UpdatedAt: timestamp,
      ExpiresAt: nullableTimestamp,
      SignerCount: z.int().check(z.gte(1), z.lte(50)),
      SignedCount: z.int().check(z.gte(0), z.lte(50)),
      CurrentOrder: z
        .int()
        .check(
          z.gte(1),
          z.describe(
            "The signing order's group invited now (1 when the signers gave no order); once closed, the group it stopped at",
          ),
        ),
    }),
  ),
  NextCursor: z.nullable(
    z.string().check(z.describe('Pass as `cursor` (with the same filters) for the next page; null at the end')),
  ),
});

export const SigningViewData = z.object({
  SignRequestId: ulid,
  RequestNo: z.string(),
  Status,
  DocumentName: z.string(),
  Message: z.nullable(z.string()),
  RequestedBy: z.nullable(z.string()),
  ExpiresAt: nullableTimestamp,
  SignerId: ulid,
  SignerName: z.string(),
  SignerStatus: SignerStatusSchema,
  SignerOrder: z.number().check(z.describe('The signer’s place in the signing order (1 when none was given)')),
  YourTurn: z
    .boolean()
    .check(
      z.describe(
        'Whether the signers before this one in the signing order have all signed: false, signing and declining ' +
          'answer 409 NOT_YOUR_TURN, and this open is not recorded as a view',
      ),
    ),
  ViewedAt: nullableTimestamp,
  SignedAt: nullableTimestamp,
});

export const DeclineData = z.object({ SignRequestId: ulid, SignerId: ulid, Status: z.literal('DECLINED') });

export const SigningCodeData = z.object({
  Sent: z.literal(true),
  ExpiresAt: z
    .string()
    .check(
      z.describe('When the code mailed stops working (10 minutes on), unless another is sent before: ISO 8601, UTC'),
    ),
});

export const SignatureData = z.object({
  SignRequestId: ulid,
  SignerId: ulid,
  SignerStatus: z.literal('SIGNED'),
  Status,
});

/** True when a presenter's answer fits what its schema parses to, and both name the same fields. */
type Fits<Described, Presented> = Presented extends Described
  ? keyof Presented extends keyof Described
    ? keyof Described extends keyof Presented
      ? true
      : false
    : false
  : false;
type Item<T> = T extends readonly (infer I)[] ? I : never;
type Signers<T> = Item<T extends { Signers: infer S } ? S : never>;
type Created = ReturnType<typeof withSigningUrls>;
type SignRequest = ReturnType<typeof presentSignRequest>;
type ListItem = Item<z.output<typeof ListData>['Items']>;
type ChangedSigner = ReturnType<typeof presentChangedSigner> & { SigningUrl: string };

// Compile-time only: each entry fails the type-check when a presenter and its schema drift apart. Exported (and
// so @public to knip) only so that no lint rule takes it for an unused variable.
/** @public */
export const presentersMatchSchemas: [
  Fits<z.output<typeof CreatedData>, Created>,
  Fits<Signers<z.output<typeof CreatedData>>, Signers<Created>>,
  Fits<z.output<typeof SignRequestData>, SignRequest>,
  Fits<Signers<z.output<typeof SignRequestData>>, Signers<SignRequest>>,
  Fits<z.output<typeof SigningViewData>, ReturnType<typeof presentSigningView>>,
  Fits<z.output<typeof SignatureData>, ReturnType<typeof presentSignature>>,
  Fits<ListItem, ReturnType<typeof presentSummary>>,
  Fits<z.output<typeof DeclineData>, ReturnType<typeof presentDecline>>,
  Fits<z.output<typeof SigningCodeData>, ReturnType<typeof presentCodeSent>>,
  Fits<z.output<typeof ChangedSignerData>, ChangedSigner>,
  Fits<z.output<typeof RemovedSignerData>, ReturnType<typeof presentRemovedSigner>>,
] = [true, true, true, true, true, true, true, true, true, true, true];
