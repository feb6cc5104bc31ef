/**
 * A small condition language over a stored item, with DynamoDB's meaning: core evaluates a condition to explain a
 * refusal (`evaluate`), and the store compiles the very same condition into a ConditionExpression
 * (store/expressions.ts). So a state rule is written once and both sides read it (core/rules.ts).
 */

/**
 * Where an attribute lives in the item: `['status']`, or `['signers', signerId, 'status']` into a map; a number
 * indexes a list (`[..., 'sentAt', 2]` is DynamoDB's `sentAt[2]`).
 */
export type Path = readonly [string, ...(string | number)[]];

/** The only values a condition compares with; every time the service stores is an ISO-8601 UTC string. */
export type Scalar = string | number;

export type Operand = { readonly attr: Path } | { readonly value: Scalar };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'compare'; readonly comparator: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'in'; readonly path: Path; readonly values: readonly Scalar[] }
  | { readonly kind: 'exists' | 'notExists'; readonly path: Path }
  /** The item is there at all (the store spells it as the existence of its partition key). */
  | { readonly kind: 'itemExists' }
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly Condition[] }
  | { readonly kind: 'not'; readonly condition: Condition };

export const attr = (...path: Path): { attr: Path } => ({ attr: path });
export const value = (scalar: Scalar): { value: Scalar } => ({ value: scalar });

const compare =
  (comparator: Comparator) =>
  (left: Operand, right: Operand): Condition => ({ kind: 'compare', comparator, left, right });
export const eq = compare('=');
export const ne = compare('<>');
export const lt = compare('<');
export const le = compare('<=');
export const gt = compare('>');
export const ge = compare('>=');

export const inList = (operand: { attr: Path }, values: readonly Scalar[]): Condition => ({
  kind: 'in',
  path: operand.attr,
  values,
});
export const exists = (operand: { attr: Path }): Condition => ({ kind: 'exists', path: operand.attr });
export const notExists = (operand: { attr: Path }): Condition => ({ kind: 'notExists', path: operand.attr });
export const itemExists = (): Condition => ({ kind: 'itemExists' });
export const and = (...conditions: Condition[]): Condition => ({ kind: 'and', conditions });
export const or = (...conditions: Condition[]): Condition => ({ kind: 'or', conditions });
export const not = (condition: Condition): Condition => ({ kind: 'not', condition });

const resolvePath = (item: object | undefined, path: Path): unknown => {
  let at: unknown = item;
  for (const step of path) {
    if (typeof step === 'number') {
      // An index names an element of a list only; a map's key is always a string.
      if (!Array.isArray(at) || step >= at.length) return undefined;
      at = at[step];
      continue;
    }
    if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, step)) return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
};

const resolve = (item: object | undefined, operand: Operand): unknown =>
  'attr' in operand ? resolvePath(item, operand.attr) : operand.value;

const isScalar = (candidate: unknown): candidate is Scalar =>
  typeof candidate === 'string' || typeof candidate === 'number';

/**
 * DynamoDB orders strings by their UTF-8 bytes, which is code point order; JavaScript's `<` orders UTF-16 code
 * units, which differs above U+FFFF. The service's times are ASCII, where the two agree, but the language keeps
 * DynamoDB's order so that no value can make the two sides disagree.
 */
const codePointOrder = (a: string, b: string): number => {
  const left = [...a];
  const right = [...b];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
};

/**
 * A comparison as DynamoDB makes it: false when either side is missing, or when the two are not both numbers or
 * both strings (then only `<>` is true). `<>` on a missing attribute is the one case read both ways (the embedded
 * store answers true, and reports of DynamoDB differ), so no guard asks it: `<>` only ever names an attribute every
 * item has (`status`, behind the `exists` guard); an optional one is compared as `exists(a) AND ne(a, v)`. Times compare as strings, as DynamoDB compares them: the
 * service always stores normalized ISO-8601 UTC times (`...Z`, from toISOString), whose string order is their
 * time order, so core never parses a time to decide a guard.
 */
const compared = (comparator: Comparator, left: unknown, right: unknown): boolean => {
  if (left === undefined || right === undefined) return false;
  if (!isScalar(left) || !isScalar(right) || typeof left !== typeof right) return comparator === '<>';
  const order = typeof left === 'number' ? left - (right as number) : codePointOrder(left, right as string);
  switch (comparator) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
};

/**
 * Whether `condition` holds on `item` (undefined: there is no item, as DynamoDB evaluates a condition against a
 * missing item: every attribute is missing). The item is the stored shape: a SignRequest has the same attribute
 * names as its item, but for the keys, which no condition names.
 */
export const evaluate = (condition: Condition, item: object | undefined): boolean => {
  switch (condition.kind) {
    case 'compare':
      return compared(condition.comparator, resolve(item, condition.left), resolve(item, condition.right));
    case 'in': {
      const found = resolvePath(item, condition.path);
      return condition.values.some((listed) => compared('=', found, listed));
    }
    case 'exists':
      return resolvePath(item, condition.path) !== undefined;
    case 'notExists':
      return resolvePath(item, condition.path) === undefined;
    case 'itemExists':
      return item !== undefined;
    case 'and':
      return condition.conditions.every((part) => evaluate(part, item));
    case 'or':
      return condition.conditions.some((part) => evaluate(part, item));
    case 'not':
      return !evaluate(condition.condition, item);
  }
};
