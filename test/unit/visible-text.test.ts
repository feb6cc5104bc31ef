import { describe, expect, it } from 'vitest';
import { capped, cleanLine, cleanLines, isInvisible, shown } from '../../functions/core/visible-text.ts';

describe('cleanLine: one line of user data as a reader may see it', () => {
  it('removes bidi overrides, isolates, marks, zero-width characters and the soft hyphen', () => {
    expect(cleanLine('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(cleanLine('a\u2066b\u2069c\u200Ed\u200Fe\u061Cf')).toBe('abcdef');
    expect(cleanLine('Jo\u200Bhn\u200D \uFEFFDoe\u00AD')).toBe('John Doe');
  });

  it('turns controls and line or paragraph separators into spaces, then runs of space into one', () => {
    expect(cleanLine('Jane\tDoe')).toBe('Jane Doe');
    expect(cleanLine('Jane\u0000Doe')).toBe('Jane Doe');
    expect(cleanLine('Jane\u2028Doe\u2029Smith')).toBe('Jane Doe Smith');
    expect(cleanLine('Jane \n\r  Doe')).toBe('Jane Doe');
  });

  it('trims both ends, and leaves nothing of a value made only of invisible characters', () => {
    expect(cleanLine('  Contract.pdf \t')).toBe('Contract.pdf');
    expect(cleanLine('\u202E\u200B \u0007')).toBe('');
  });
});

describe('cleanLines: the sender’s multi-line message', () => {
  it('splits on every line ending and cleans each line', () => {
    expect(cleanLines('one\r\ntwo\rthree\nfour\u202E')).toEqual(['one', 'two', 'three', 'four']);
  });

  it('keeps one blank line between paragraphs, none at the start', () => {
    expect(cleanLines('\n\nHello\n\n\n\nBye\n')).toEqual(['Hello', '', 'Bye', '']);
    expect(cleanLines('Hello\n \u200B\nBye')).toEqual(['Hello', '', 'Bye']);
  });
});

describe('isInvisible and shown', () => {
  it('calls a value invisible exactly when nothing is left of it once cleaned', () => {
    expect(isInvisible('\u200B\u202E ')).toBe(true);
    expect(isInvisible('\u200BA')).toBe(false);
  });

  it('shows the cleaned value, or the fallback when nothing visible is left or there is no value', () => {
    expect(shown(' Jane\u202E ', 'a signer')).toBe('Jane');
    expect(shown('\u200B', 'a signer')).toBe('a signer');
    expect(shown(undefined, 'a signer')).toBe('a signer');
  });
});

describe('capped', () => {
  it('keeps a value of at most max code points as it is', () => {
    expect(capped('abcde', 5)).toBe('abcde');
    expect(capped('😀😀😀', 3)).toBe('😀😀😀');
  });

  it('cuts a longer one to max code points, the last being the ellipsis, never splitting a pair', () => {
    expect(capped('abcdef', 5)).toBe('abcd…');
    expect(capped('😀😀😀😀', 3)).toBe('😀😀…');
    expect([...capped('x'.repeat(100), 40)]).toHaveLength(40);
  });
});
