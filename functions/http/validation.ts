import { refusals } from '../core/errors.ts';
import type * as z from '../zod.ts';

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
