import { describe, expect, it } from 'vitest';
import { hasPdfHeader, namesEncrypt } from '../../functions/documents/pdf-bytes.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

describe('hasPdfHeader', () => {
  it.each([
    { what: 'at the start', text: '%PDF-1.7\n', expected: true },
    { what: 'at the last place readers look (byte 1023)', text: `${' '.repeat(1023)}%PDF-2.0`, expected: true },
    { what: 'one byte later (byte 1024)', text: `${' '.repeat(1024)}%PDF-1.4`, expected: false },
    { what: 'without a version digit', text: '%PDF-x.y', expected: false },
    { what: 'cut after the dash', text: '%PDF-', expected: false },
    { what: 'in lower case', text: '%pdf-1.7', expected: false },
    { what: 'absent', text: '<html></html>', expected: false },
  ])('$what: $expected', ({ text, expected }) => {
    expect(hasPdfHeader(bytes(text))).toBe(expected);
  });

  it('reads only the bytes of the view it is given', () => {
    const whole = bytes('%PDF-1.7 and more');
    expect(hasPdfHeader(whole.subarray(1))).toBe(false);
    expect(hasPdfHeader(whole.subarray(0, 6))).toBe(true);
  });
});

describe('namesEncrypt', () => {
  it.each([
    { what: 'a reference', text: 'trailer << /Root 1 0 R /Encrypt 9 0 R >>', expected: true },
    { what: 'a direct dictionary', text: '<< /Encrypt<</Filter/Standard>> >>', expected: true },
    { what: 'escaped letters', text: '<< /Encr#79pt 9 0 R >>', expected: true },
    { what: 'every letter escaped', text: '<< /#45#6e#63#72#79#70#74 9 0 R >>', expected: true },
    { what: 'a comment before the value', text: '<< /Encrypt % why not\r 9 0 R >>', expected: true },
    { what: 'a marked-content tag', text: '/Encrypt BMC EMC', expected: false },
    { what: 'a longer name', text: '<< /EncryptMetadata 9 0 R >>', expected: false },
    { what: 'a shorter name', text: '<< /Encryp 9 0 R >>', expected: false },
    { what: 'the name at the very end', text: '<< /Encrypt', expected: false },
    { what: 'a value past 256 bytes of comment', text: `/Encrypt %${'-'.repeat(300)}\n9 0 R`, expected: false },
    { what: 'digits deep inside a long comment', text: `/Encrypt %${'1'.repeat(300)}\n/Other`, expected: false },
    { what: 'an invalid escape', text: '<< /Encr#zzpt 9 0 R >>', expected: false },
  ])('$what: $expected', ({ text, expected }) => {
    expect(namesEncrypt(bytes(text))).toBe(expected);
  });

  it('answers a line of a million /Encrypt% without a value (each may start a skip, each is bounded)', () => {
    expect(namesEncrypt(bytes('/Encrypt%'.repeat(1_000_000)))).toBe(false);
  });
});
