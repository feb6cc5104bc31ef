import { isInvisible } from '../core/visible-text.ts';
import * as z from '../zod.ts';

/*
 * functions/contracts/ holds every route's request contract: the schema its handler validates with (body fields and
 * path parameters together) and the business limits it states, which infra/openapi/ documents from the same
 * objects, so the generator never imports a Lambda entry point. One file per route, as the handlers are: a
 * schema is built when its module loads, so a file shared by several routes would put every one of their schemas
 * into each function's bundle.
 *
 * This file: the field builders every contract is made of. Each names its field in its messages, so a refusal
 * says which field is wrong and how (docs/api.md), and describes its limits for the OpenAPI document.
 */

// C0 and C1 control characters and DEL; tabs and newlines are no more welcome in a name than a bell.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/** "is required" for a missing field, "must be a string" for one of another type. */
export const stringOf = (field: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`),
  });

/** A trimmed, bounded, printable line of text: names, reasons, titles. */
export const text = (field: string, max: number) =>
  stringOf(field).check(
    z.trim(),
    z.minLength(1, `${field} must not be empty`),
    z.maxLength(max, `${field} must be at most ${max} characters`),
    z.refine((value) => !CONTROL_CHARACTERS.test(value), `${field} must not contain control characters`),
    // The limits in words too: the OpenAPI document cannot say "after trimming" or "no control characters".
    z.describe(`1-${max} characters once trimmed; no control characters`),
  );

/**
 * A line of text that must show something: a name or a document name made only of invisible characters
 * (zero-width spaces, bidi marks; see core/visible-text.ts) would reach e-mail as nothing, so it is refused.
 */
export const visibleText = (field: string, max: number) =>
  text(field, max).check(
    z.refine((value) => !isInvisible(value), `${field} must contain visible characters`),
    z.describe(`1-${max} characters once trimmed; no control characters; not only invisible characters`),
  );

/** An email address, trimmed, at most 254 characters; `description` says what else the route asks of it. */
export const emailOf = (field: string, description: string) =>
  z.pipe(
    stringOf(field).check(
      z.trim(),
      z.maxLength(254, `${field} must be at most 254 characters`),
      z.describe(description),
    ),
    z.email({ error: `${field} must be a valid email address` }),
  );

/** Longer free text (a message to signers): line breaks allowed, other control characters not. */
export const paragraph = (field: string, max: number) =>
  stringOf(field).check(
    z.trim(),
    z.maxLength(max, `${field} must be at most ${max} characters`),
    // eslint-disable-next-line no-control-regex
    z.refine((value) => !/[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(value), {
      message: `${field} must not contain control characters other than line breaks`,
    }),
    z.describe(`At most ${max} characters once trimmed; line breaks allowed, no other control characters`),
  );

/** A PDF's file name, inline or uploaded alike: shown to signers and in Content-Disposition. */
export const pdfFileName = (field: string) =>
  visibleText(field, 255).check(
    z.refine((value) => /\.pdf$/i.test(value), `${field} must end in .pdf`),
    z.describe('1-255 characters once trimmed, ending in .pdf (any case); no control characters'),
  );

/**
 * A signer's group in the signing order, as initiate and a signer's PATCH take it: a whole number from 1 (its upper
 * bound, the number of signers, is the request's to check).
 */
export const signingOrder = (description: string) =>
  z
    .number({ error: 'order must be a number' })
    .check(z.int('order must be a whole number'), z.gte(1, 'order must be at least 1'), z.describe(description));
