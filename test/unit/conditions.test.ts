import { describe, expect, it } from 'vitest';
import {
  and,
  attr,
  eq,
  evaluate,
  exists,
  ge,
  gt,
  inList,
  itemExists,
  le,
  lt,
  ne,
  not,
  notExists,
  or,
  value,
  type Comparator,
  type Condition,
  type Operand,
} from '../../functions/core/conditions.ts';
import { add, append, expressions, increment, remove, set } from '../../functions/store/expressions.ts';

const SIGNER = '01JABCDEFGHJKMNPQRSTVWXYZ0';
const item = {
  status: 'PENDING',
  signedCount: 1,
  signerCount: 2,
  name: 'reserved words are names too',
  at: '2030-01-01T00:00:00.000Z',
  signers: { [SIGNER]: { status: 'PENDING', lastRemindedAt: '2030-01-01T00:00:00.000Z' } },
};

const byComparator: Record<Comparator, (left: Operand, right: Operand) => Condition> = {
  '=': eq,
  '<>': ne,
  '<': lt,
  '<=': le,
  '>': gt,
  '>=': ge,
};
/** What each comparator answers for a left side below, equal to and above the right side. */
const truth: Record<Comparator, [below: boolean, equal: boolean, above: boolean]> = {
  '=': [false, true, false],
  '<>': [true, false, true],
  '<': [true, false, false],
  '<=': [true, true, false],
  '>': [false, false, true],
  '>=': [false, true, true],
};
const comparators = Object.keys(truth) as Comparator[];

describe('evaluate: a condition on an item, as DynamoDB decides it', () => {
  it.each(comparators)('%s compares numbers by value and times as strings, below, equal and above', (comparator) => {
    const compare = byComparator[comparator];
    const numbers = [2, 1, 0].map((right) => evaluate(compare(attr('signedCount'), value(right)), item));
    // 1 against 2, 1 and 0: the attribute is below, equal to, then above the value.
    expect(numbers).toEqual(truth[comparator]);
    const times = ['2030-01-01T00:00:00.001Z', item.at, '2029-12-31T23:59:59.999Z'].map((right) =>
      evaluate(compare(attr('at'), value(right)), item),
    );
    expect(times).toEqual(truth[comparator]);
    // Two attributes compare too: signedCount (1) against signerCount (2) is below.
    expect(evaluate(compare(attr('signedCount'), attr('signerCount')), item)).toBe(truth[comparator][0]);
  });

  it.each(comparators)('%s on a missing attribute is false, either side, <> included', (comparator) => {
    const compare = byComparator[comparator];
    expect(evaluate(compare(attr('absent'), value(1)), item)).toBe(false);
    expect(evaluate(compare(value(1), attr('absent')), item)).toBe(false);
    expect(evaluate(compare(attr('signers', 'nobody', 'status'), value('PENDING')), item)).toBe(false);
    // ...so NOT of it is true.
    expect(evaluate(not(compare(attr('absent'), value(1))), item)).toBe(true);
  });

  it.each(comparators)('%s between a number and a string is false, but for <>', (comparator) => {
    expect(evaluate(byComparator[comparator](attr('signedCount'), value('1')), item)).toBe(comparator === '<>');
    expect(evaluate(byComparator[comparator](attr('signers'), value('PENDING')), item)).toBe(comparator === '<>');
  });

  it('orders strings by code point, as DynamoDB orders UTF-8 bytes (UTF-16 units would not)', () => {
    const astral = { text: '\u{10000}' };
    expect('\u{10000}' < '\uffff').toBe(true);
    expect(evaluate(gt(attr('text'), value('\uffff')), astral)).toBe(true);
    expect(evaluate(lt(attr('text'), value('\u{10000}a')), astral)).toBe(true);
    expect(evaluate(gt(attr('text'), value('')), astral)).toBe(true);
  });

  it('reads nested signer paths, and nothing through a value that is not a map', () => {
    expect(evaluate(eq(attr('signers', SIGNER, 'status'), value('PENDING')), item)).toBe(true);
    expect(evaluate(eq(attr('signers', SIGNER, 'status'), value('SIGNED')), item)).toBe(false);
    expect(evaluate(exists(attr('signers', SIGNER, 'lastRemindedAt')), item)).toBe(true);
    expect(evaluate(exists(attr('signers', SIGNER, 'viewedAt')), item)).toBe(false);
    expect(evaluate(exists(attr('status', 'length')), item)).toBe(false);
    expect(evaluate(exists(attr('signers', 'toString')), item)).toBe(false);
    expect(evaluate(exists(attr('history', '0')), { history: ['CREATED'] })).toBe(false);
    expect(evaluate(exists(attr('a', 'b')), { a: null })).toBe(false);
  });

  it('reads a list element by its index, only in a list, only within it', () => {
    const sent = { code: { sentAt: ['2030-01-01T00:00:00.000Z', '2030-01-01T01:00:00.000Z'] } };
    expect(evaluate(eq(attr('code', 'sentAt', 1), value('2030-01-01T01:00:00.000Z')), sent)).toBe(true);
    expect(evaluate(le(attr('code', 'sentAt', 0), value('2030-01-01T00:30:00.000Z')), sent)).toBe(true);
    expect(evaluate(exists(attr('code', 'sentAt', 1)), sent)).toBe(true);
    expect(evaluate(exists(attr('code', 'sentAt', 2)), sent)).toBe(false);
    expect(evaluate(notExists(attr('code', 'sentAt', 2)), sent)).toBe(true);
    // An index into a map names nothing (a map's keys are strings), nor does one into a missing list.
    expect(evaluate(exists(attr('code', 0)), sent)).toBe(false);
    expect(evaluate(exists(attr('missing', 0)), sent)).toBe(false);
  });

  it('tells IN, exists and not exists apart, on present and missing attributes', () => {
    expect(evaluate(inList(attr('status'), ['PENDING', 'PARTIALLY_SIGNED']), item)).toBe(true);
    expect(evaluate(inList(attr('status'), ['COMPLETED']), item)).toBe(false);
    expect(evaluate(inList(attr('status'), []), item)).toBe(false);
    expect(evaluate(inList(attr('signedCount'), ['1']), item)).toBe(false);
    expect(evaluate(inList(attr('signedCount'), [3, 1]), item)).toBe(true);
    expect(evaluate(inList(attr('absent'), ['PENDING']), item)).toBe(false);
    expect(evaluate(exists(attr('status')), item)).toBe(true);
    expect(evaluate(notExists(attr('status')), item)).toBe(false);
    expect(evaluate(exists(attr('absent')), item)).toBe(false);
    expect(evaluate(notExists(attr('absent')), item)).toBe(true);
  });

  it('evaluates a missing item as one whose every attribute is missing', () => {
    expect(evaluate(itemExists(), undefined)).toBe(false);
    expect(evaluate(itemExists(), {})).toBe(true);
    expect(evaluate(notExists(attr('status')), undefined)).toBe(true);
    expect(evaluate(ne(attr('status'), value('CANCELLED')), undefined)).toBe(false);
  });

  it('combines with and, or and not', () => {
    const yes = eq(attr('status'), value('PENDING'));
    const no = eq(attr('status'), value('COMPLETED'));
    expect([and(yes, yes), and(yes, no), and(no, yes), and(no, no)].map((c) => evaluate(c, item))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect([or(yes, yes), or(yes, no), or(no, yes), or(no, no)].map((c) => evaluate(c, item))).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect([not(yes), not(no)].map((c) => evaluate(c, item))).toEqual([false, true]);
    expect(evaluate(and(), item)).toBe(true);
    expect(evaluate(or(), item)).toBe(false);
  });
});

describe('expressions: a condition and an update compiled, names and values derived from them', () => {
  it('names each attribute and value once, however often it is used, and nothing unused', () => {
    const compiled = expressions({
      condition: and(
        inList(attr('status'), ['PENDING', 'PARTIALLY_SIGNED']),
        le(attr('updatedAt'), value('2030-01-01T00:00:00.000Z')),
        or(notExists(attr('expiresAt')), gt(attr('expiresAt'), value('2030-01-01T00:00:00.000Z'))),
      ),
      update: [set(['status'], 'CANCELLED'), set(['updatedAt'], '2030-01-01T00:00:00.000Z')],
    });
    expect(compiled).toEqual({
      UpdateExpression: 'SET #status = :v0, #updatedAt = :v1',
      ConditionExpression:
        '#status IN (:v2, :v3) AND #updatedAt <= :v1 AND (attribute_not_exists(#expiresAt) OR #expiresAt > :v1)',
      ExpressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt', '#expiresAt': 'expiresAt' },
      ExpressionAttributeValues: {
        ':v0': 'CANCELLED',
        ':v1': '2030-01-01T00:00:00.000Z',
        ':v2': 'PENDING',
        ':v3': 'PARTIALLY_SIGNED',
      },
    });
  });

  it('keeps a number and the same digits as a string apart, and lists a repeated value once', () => {
    const compiled = expressions({
      condition: and(inList(attr('version'), [3, 3, 4]), eq(attr('requestNo'), value('3'))),
    });
    expect(compiled.ConditionExpression).toBe('#version IN (:v0, :v1) AND #requestNo = :v2');
    expect(compiled.ExpressionAttributeValues).toEqual({ ':v0': 3, ':v1': 4, ':v2': '3' });
  });

  it('names reserved words and signer ids through placeholders, nested paths included', () => {
    const other = '01JZZZZZZZZZZZZZZZZZZZZZZZ';
    const compiled = expressions({
      condition: and(
        eq(attr('signers', SIGNER, 'status'), value('PENDING')),
        exists(attr('signers', other)),
        exists(attr('name')),
      ),
    });
    expect(compiled.ConditionExpression).toBe(
      '#signers.#N1.#status = :v0 AND attribute_exists(#signers.#N3) AND attribute_exists(#name)',
    );
    expect(compiled.ExpressionAttributeNames).toEqual({
      '#signers': 'signers',
      '#N1': SIGNER,
      '#status': 'status',
      '#N3': other,
      '#name': 'name',
    });
  });

  it('writes a list index as itself, after its list, in conditions and updates alike', () => {
    const compiled = expressions({
      condition: or(
        notExists(attr('signers', SIGNER, 'emailCode', 'sentAt', 3)),
        le(attr('signers', SIGNER, 'emailCode', 'sentAt', 3), value('2030-01-01T00:00:00.000Z')),
      ),
      update: [set(['signers', SIGNER, 'emailCode', 'sentAt', 3], '2030-01-01T01:00:00.000Z')],
    });
    expect(compiled.ConditionExpression).toBe(
      'attribute_not_exists(#signers.#N1.#emailCode.#sentAt[3]) OR #signers.#N1.#emailCode.#sentAt[3] <= :v1',
    );
    expect(compiled.UpdateExpression).toBe('SET #signers.#N1.#emailCode.#sentAt[3] = :v0');
  });

  it('parenthesizes and/or inside one another and under not, and spells the item existing by its key', () => {
    const a = eq(attr('a'), value(1));
    const b = eq(attr('b'), value(2));
    const c = eq(attr('c'), value(3));
    expect(expressions({ condition: or(and(a, b), c) }).ConditionExpression).toBe(
      '(#a = :v0 AND #b = :v1) OR #c = :v2',
    );
    expect(expressions({ condition: and(a, or(b, c)) }).ConditionExpression).toBe(
      '#a = :v0 AND (#b = :v1 OR #c = :v2)',
    );
    expect(expressions({ condition: not(and(itemExists(), a)) })).toEqual({
      ConditionExpression: 'NOT (attribute_exists(#pk) AND #a = :v0)',
      ExpressionAttributeNames: { '#pk': 'pk', '#a': 'a' },
      ExpressionAttributeValues: { ':v0': 1 },
    });
    expect(() => expressions({ condition: and() })).toThrow(/empty and/);
    expect(() => expressions({ condition: or() })).toThrow(/empty or/);
  });

  it('compiles every comparator as DynamoDB spells it, values on either side', () => {
    for (const comparator of comparators) {
      expect(expressions({ condition: byComparator[comparator](value(1), attr('n')) }).ConditionExpression).toBe(
        `:v0 ${comparator} #n`,
      );
    }
  });

  it('groups an update into SET, ADD and REMOVE, with sums and list appends, and no values map when none', () => {
    const entry = { at: '2030-01-01T00:00:00.000Z', event: 'SIGNED' };
    expect(
      expressions({
        update: [
          ...remove(['gsi2pk'], ['gsi2sk']),
          add(['signedCount'], 1),
          increment(['version']),
          append(['history'], [entry]),
        ],
      }),
    ).toEqual({
      UpdateExpression:
        'SET #version = #version + :v0, #history = list_append(#history, :v1) ADD #signedCount :v0 REMOVE #gsi2pk, #gsi2sk',
      ExpressionAttributeNames: {
        '#gsi2pk': 'gsi2pk',
        '#gsi2sk': 'gsi2sk',
        '#signedCount': 'signedCount',
        '#version': 'version',
        '#history': 'history',
      },
      ExpressionAttributeValues: { ':v0': 1, ':v1': [entry] },
    });
    expect(expressions({ update: remove(['gsi3pk']) })).toEqual({
      UpdateExpression: 'REMOVE #gsi3pk',
      ExpressionAttributeNames: { '#gsi3pk': 'gsi3pk' },
    });
  });

  it('compiles a key condition, as a Query names its partition first', () => {
    expect(
      expressions({ keyCondition: and(eq(attr('gsi2pk'), value('EXPIRES#0')), le(attr('gsi2sk'), value('t#~'))) }),
    ).toEqual({
      KeyConditionExpression: '#gsi2pk = :v0 AND #gsi2sk <= :v1',
      ExpressionAttributeNames: { '#gsi2pk': 'gsi2pk', '#gsi2sk': 'gsi2sk' },
      ExpressionAttributeValues: { ':v0': 'EXPIRES#0', ':v1': 't#~' },
    });
  });
});

describe('evaluate: what is not a string or a number is never ordered', () => {
  it('a map or a list against itself: only <> holds, as for values of two types', () => {
    const nested = { ...item, tags: ['a'] };
    for (const operand of [attr('signers'), attr('tags')]) {
      const verdicts = comparators.map((comparator) => evaluate(byComparator[comparator](operand, operand), nested));
      expect(verdicts).toEqual(comparators.map((comparator) => comparator === '<>'));
    }
  });
});
