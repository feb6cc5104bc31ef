import { describe, expect, it } from 'vitest';
import { parseIfMatch } from '../../functions/http/if-match.ts';
import { TransportRefusal } from '../../functions/http/refusals.ts';

describe('parseIfMatch: the versions an If-Match header names (RFC 9110)', () => {
  it('has no precondition without the header, or with *', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(' * ')).toBeUndefined();
  });

  it('reads a strong tag, and a list of them with the whitespace and empty elements the list syntax allows', () => {
    expect(parseIfMatch('"3"')).toEqual([3]);
    expect(parseIfMatch('"3", "4"')).toEqual([3, 4]);
    expect(parseIfMatch(' , "3",,\t"12" ,')).toEqual([3, 12]);
  });

  it('keeps out what can never match under strong comparison: weak tags, tags naming no version', () => {
    expect(parseIfMatch('W/"3"')).toEqual([]);
    expect(parseIfMatch('"abc", W/"3", "03", "0", ""')).toEqual([]);
    expect(parseIfMatch('"a,b", "5"')).toEqual([5]);
  });

  it.each(['', '3', '"3', '3"', '"3" "4"', 'W/3', '*, "3"', '"a"b"', `${'"1",'.repeat(11)}`, `"${'9'.repeat(1100)}"`])(
    'refuses %j as malformed (400, naming the header)',
    (header) => {
      let thrown: unknown;
      try {
        parseIfMatch(header);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(TransportRefusal);
      expect((thrown as TransportRefusal).rules).toEqual([expect.objectContaining({ Field: 'If-Match' })]);
    },
  );
});
