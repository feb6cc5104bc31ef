import * as z from '../zod.ts';
import { MAX_INLINE_DOCUMENT_BYTES } from '../core/document-limits.ts';
import { isUlid } from '../core/ids.ts';
import { ACCESS_CODE_MAX_LENGTH, ACCESS_CODE_MIN_LENGTH } from '../core/signer-proof.ts';
import { emailOf, signingOrder, paragraph, pdfFileName, stringOf, text, visibleText } from './fields.ts';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * An access code: its messages never quote it (a refusal is logged and answered), and it is counted in code points,
 * as a signer types it. Kept only as a slow hash (core/signer-proof.ts).
 */
export const accessCode = stringOf('accessCode').check(
  z.refine(
    (value) => [...value].length >= ACCESS_CODE_MIN_LENGTH && [...value].length <= ACCESS_CODE_MAX_LENGTH,
    `accessCode must be ${ACCESS_CODE_MIN_LENGTH} to ${ACCESS_CODE_MAX_LENGTH} characters`,
  ),
  z.refine((value) => !CONTROL_CHARACTERS.test(value), 'accessCode must not contain control characters'),
  z.refine((value) => value.trim() === value, 'accessCode must not begin or end with a space'),
  z.describe(
    `${ACCESS_CODE_MIN_LENGTH}-${ACCESS_CODE_MAX_LENGTH} characters the signer must give before seeing the ` +
      'document (the app hands it to them out of band); stored only as a slow hash, never returned or mailed. ' +
      'Not with verify',
  ),
);

const Signer = z
  .strictObject({
    name: visibleText('name', 200),
    email: emailOf(
      'email',
      'An email address, at most 254 characters once trimmed; each signer’s differs (in any case)',
    ),
    order: z.optional(
      signingOrder(
        'The signer’s place in the signing order, 1 to the number of signers (default 1): the signers of the ' +
          'lowest order not yet all signed are invited and sign, in parallel; the next order is invited once ' +
          'they all have. Signers with the same order sign in parallel; gaps are allowed (1, 3 is 1 then 3)',
      ),
    ),
    accessCode: z.optional(accessCode),
    verify: z.optional(
      z
        .literal('email', { error: 'verify must be "email"' })
        .check(
          z.describe(
            '"email": the signer proves they read their mail: a 6-digit one-time code sent to their address ' +
              'from their page (POST <link>/code). Not with accessCode',
          ),
        ),
    ),
  })
  .check(
    z.superRefine((signer, ctx) => {
      if (signer.accessCode !== undefined && signer.verify !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['verify'],
          message: 'accessCode and verify cannot both be given: a signer gives one proof',
        });
    }),
  );

/** Automatic reminders: at least a day apart (a signer is never reminded more than once an hour anyway). */
const MAX_REMIND_EVERY_DAYS = 30;

/**
 * How far ahead a deadline may be, as DocuSign's expiration limit. Deadlines are stored as UTC ISO strings (as
 * toISOString gives, with milliseconds) and compared as strings in the store's conditions, which holds only for
 * four-digit years: the bound keeps every stored deadline comparable (an offset such as -05:00 is normalised to Z).
 */
export const MAX_DEADLINE_DAYS = 999;
const DAY_MS = 86_400_000;

/**
 * Initiate's body limit, above the other routes' (MAX_BODY_BYTES, 1 MiB): the inline document's base64 (4/3 of
 * 4 MiB) and the other fields, and still under Lambda's 6,291,456-byte invocation payload with API Gateway's
 * event around it.
 */
export const INITIATE_MAX_BODY_BYTES = 5.75 * 1024 * 1024;

/**
 * Standard base64 (RFC 4648 section 4) with its padding, no line breaks: what Buffer.toString('base64') and
 * `base64 -w0` write. Checked by shape, so a decoder never silently skips what is not base64. A single character
 * class and a length test, not a grouped pattern: V8 overflows its stack matching `(?:x{4})*` over megabytes.
 */
const isBase64 = (value: string): boolean => value.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(value);

const InlineDocument = z.strictObject(
  {
    fileName: pdfFileName('document.fileName'),
    contentBase64: stringOf('document.contentBase64').check(
      z.minLength(1, 'document.contentBase64 must not be empty'),
      z.refine(isBase64, 'document.contentBase64 must be standard base64 with padding, no spaces'),
      z.describe(
        `The PDF's bytes in standard base64 with padding; at most ${MAX_INLINE_DOCUMENT_BYTES} bytes once decoded`,
      ),
    ),
  },
  { error: 'document must be an object { fileName, contentBase64 }' },
);

/** Initiate's fields, each with its own rules: what resend's contract is made from too. */
export const InitiateFields = z.strictObject({
  documentName: visibleText('documentName', 200),
  /** The PDF itself, inline; the service checks it (functions/documents/inspect-pdf.ts) and keeps it in S3. */
  document: z.optional(InlineDocument),
  /** Or the id of a PDF the app uploaded (POST /v1/documents): read, checked and kept by the service. */
  documentId: z.optional(
    stringOf('documentId').check(
      z.refine(isUlid, 'documentId must be a DocumentId that POST /v1/documents answered'),
      z.describe(
        'The DocumentId of an upload (POST /v1/documents) whose PDF was PUT to its UploadUrl; used by one request ' +
          'at most. Not with document',
      ),
    ),
  ),
  signers: z.array(Signer, { error: 'signers must be a list of { name, email }' }).check(
    z.minLength(1, 'signers must name at least one signer'),
    z.maxLength(50, 'signers must name at most 50 signers'),
    z.describe('1 to 50 signers, listed as they are shown; no email twice (case-insensitive). Each may carry an order'),
    z.superRefine((signers, ctx) => {
      const seen = new Set<string>();
      signers.forEach(({ email, order }, index) => {
        const key = email.toLowerCase();
        if (seen.has(key))
          ctx.addIssue({ code: 'custom', path: [index, 'email'], message: 'email appears twice among the signers' });
        seen.add(key);
        // Bounded by the signers named, so an order is always a place among them, never an arbitrary number.
        if (order !== undefined && order > signers.length)
          ctx.addIssue({
            code: 'custom',
            path: [index, 'order'],
            message: `order must be at most the number of signers (${signers.length})`,
          });
      });
    }),
  ),
  message: z.optional(paragraph('message', 2000)),
  expiresAt: z.optional(
    z.pipe(
      z.iso
        .datetime({ offset: true, error: 'expiresAt must be an ISO 8601 date-time, like 2030-01-31T17:00:00Z' })
        .check(
          z.refine((value) => Date.parse(value) > Date.now(), 'expiresAt must be in the future'),
          z.refine(
            (value) => Date.parse(value) <= Date.now() + MAX_DEADLINE_DAYS * DAY_MS,
            `expiresAt must be at most ${MAX_DEADLINE_DAYS} days ahead`,
          ),
          z.describe(
            'When the request expires if not fully signed: an ISO 8601 date-time with an offset (Z or ±hh:mm), ' +
              `in the future and at most ${MAX_DEADLINE_DAYS} days ahead; stored and answered in UTC`,
          ),
        ),
      z.transform((value: string) => new Date(value).toISOString()),
    ),
  ),
  requestedBy: z.optional(text('requestedBy', 200)),
  senderEmail: z.optional(
    emailOf(
      'senderEmail',
      'The sender’s email address (at most 254 characters): told when the request is recalled, declined or completed',
    ),
  ),
  sendInvitations: z.optional(
    z
      .boolean({ error: 'sendInvitations must be true or false' })
      .check(
        z.describe('false: the app delivers the signing links itself, and no invitation is e-mailed (default true)'),
      ),
  ),
  recallAfterFailedProofs: z.optional(
    z
      .number({ error: 'recallAfterFailedProofs must be a number' })
      .check(
        z.int('recallAfterFailedProofs must be a whole number'),
        z.gte(1, 'recallAfterFailedProofs must be at least 1'),
        z.lte(1000, 'recallAfterFailedProofs must be at most 1000'),
        z.describe(
          'The service recalls the request (Recall.By "esign-recall (failed signer proofs)") when one signer has ' +
            'given this many wrong proofs in all; kept by resend',
        ),
      ),
  ),
  remindEveryDays: z.optional(
    z
      .number({ error: 'remindEveryDays must be a number' })
      .check(
        z.int('remindEveryDays must be a whole number'),
        z.gte(1, 'remindEveryDays must be at least 1'),
        z.lte(MAX_REMIND_EVERY_DAYS, `remindEveryDays must be at most ${MAX_REMIND_EVERY_DAYS}`),
        z.describe(
          `1-${MAX_REMIND_EVERY_DAYS}: e-mail the signers who have not signed every this many days until the request closes`,
        ),
      ),
  ),
});

/** POST /v1/sign-requests: a document, its signers in order, and the mail options. */
export const InitiateInput = InitiateFields.check(
  z.superRefine((input, ctx) => {
    if (input.document !== undefined && input.documentId !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['documentId'],
        message: 'documentId and document cannot both be given: a request holds one document',
      });
  }),
);
