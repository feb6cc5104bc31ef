import { refusals } from '../core/errors.ts';
import { isInvisible } from '../core/visible-text.ts';
import * as z from '../zod.ts';

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

/** Parses input against a schema; every bad field becomes one fail rule naming it. */
export const validate = <S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const seen = new Set<string>();
  const rules = result.error.issues.flatMap((issue) => {
    // A strict object reports all its unknown keys in one issue; each is a field of its own, worded as Stripe does.
    const found =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ path: [...issue.path, key], message: `Received unknown parameter: ${key}` }))
        : [{ path: issue.path, message: issue.message }];
    return found.flatMap(({ path, message }) => {
      const field = path.map(String).join('.') || '(body)';
      if (seen.has(field)) return [];
      seen.add(field);
      return [{ field, message }];
    });
  });
  throw refusals.validationFailed(rules);
};

/**
 * A body (or form) field named like one of the route's path parameters is refused by name, as an unknown field is:
 * the path names what the call acts on, and a body naming another request or link must not be dropped silently
 * while the path's is acted on.
 */
export const refusePathParameterFields = (fields: object, pathParameterNames: readonly string[]): void => {
  const given = pathParameterNames.filter((name) => Object.hasOwn(fields, name));
  if (given.length > 0)
    throw refusals.validationFailed(
      given.map((name) => ({ field: name, message: `Received unknown parameter: ${name}` })),
    );
};
