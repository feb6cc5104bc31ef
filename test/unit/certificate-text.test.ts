import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHOWN_LENGTH, certificateContent, shownValue } from '../../functions/documents/certificate-content.ts';
import { fontSafeText } from '../../functions/documents/font-safe-text.ts';
import { readSealReason, sealReason } from '../../functions/documents/seal-reason.ts';
import { wrapText } from '../../functions/documents/text-wrap.ts';
import { sampleFacts } from '../support/certificate-facts.ts';

const charCount = (text: string) => [...text].length;

describe('wrapText', () => {
  it('never makes a line wider than asked, and loses no word', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 30 }).map((w) => w.replace(/ /g, 'x'))),
        fc.integer({ min: 5, max: 40 }),
        (words, width) => {
          const lines = wrapText(words.join(' '), width, charCount);
          for (const line of lines) expect(charCount(line)).toBeLessThanOrEqual(width);
          expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
        },
      ),
    );
  });

  it('breaks at spaces when every word fits', () => {
    expect(wrapText('one two three four', 9, charCount)).toEqual(['one two', 'three', 'four']);
  });

  it('cuts a word wider than a line by code points, never inside one', () => {
    expect(wrapText('😀😀😀😀😀', 2, charCount)).toEqual(['😀😀', '😀😀', '😀']);
  });
});

describe('fontSafeText', () => {
  const ascii = new Set(Array.from({ length: 95 }, (_, i) => i + 32));
  it('keeps what the font encodes and writes the rest as code points', () => {
    expect(fontSafeText('Wei 张伟 😀', ascii)).toBe('Wei [U+5F20][U+4F1F] [U+1F600]');
  });
});

describe('shownValue', () => {
  it('drops control and format characters and cuts a long value with an ellipsis', () => {
    expect(shownValue('Ops\u0007bot\u202E', SHOWN_LENGTH.name)).toBe('Ops bot');
    const long = 'a'.repeat(10_000);
    const shown = shownValue(long, SHOWN_LENGTH.text);
    expect(charCount(shown)).toBe(SHOWN_LENGTH.text);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('shows a dash for a value that is absent or invisible', () => {
    expect(shownValue(undefined, 10)).toBe('—');
    expect(shownValue('\u200B\u0000', 10)).toBe('—');
  });
});

describe('certificateContent', () => {
  it('lists the recall IP and user agent only when they were recorded', () => {
    const rowsOf = (outcome: Parameters<typeof sampleFacts>[0]) =>
      certificateContent(sampleFacts(outcome), 'svc')
        .sections.find((section) => section.heading.startsWith('Outcome'))
        ?.rows.map((row) => row.label);
    const recall = { kind: 'recalled', by: 'M', at: '2026-11-28T02:30:00.000Z', reason: 'r' } as const;
    expect(rowsOf(recall)).toEqual(['Recalled by', 'Recalled at', 'Reason']);
    expect(rowsOf({ ...recall, ip: '192.0.2.1', userAgent: 'curl/8' })).toEqual([
      'Recalled by',
      'Recalled at',
      'Reason',
      'IP address',
      'User agent',
    ]);
  });

  it('has one section per signer, in order', () => {
    const content = certificateContent(sampleFacts({ kind: 'open' }, 4, 0), 'svc');
    expect(content.sections.filter((s) => s.heading.startsWith('Signer')).map((s) => s.heading)).toEqual([
      'Signer 1 of 4',
      'Signer 2 of 4',
      'Signer 3 of 4',
      'Signer 4 of 4',
    ]);
  });
});

describe('sealReason', () => {
  it('reads back any ids exactly, as plain ASCII a PDF string needs no escape for', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (requestNo, signRequestId) => {
        const reason = sealReason({ requestNo, signRequestId });
        expect(reason).toMatch(/^[\x20-\x7E]+$/);
        expect(reason).not.toMatch(/[()\\]/);
        expect(readSealReason(reason)).toEqual({ requestNo, signRequestId });
      }),
    );
  });

  it('reads nothing from a reason it did not write', () => {
    expect(readSealReason('I agree to the terms')).toBeUndefined();
    expect(readSealReason('Evidence of request %ZZ, sign request x')).toBeUndefined();
  });
});
