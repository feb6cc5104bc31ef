import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentCheck } from '../../functions/documents/document-check.ts';
import { checkDeclaredSha256, inspectPdf, type InspectOptions } from '../../functions/documents/inspect-pdf.ts';
import { deflatedZeros, onePagePdf, pdfNamingEncryption, rawPdf, validPdf } from '../support/pdf-fixtures.ts';
import { pdfReaderWorker } from '../support/pdf-reader-worker.ts';

// The service's own check of a document's bytes (functions/documents/): every refusal with its code, a good PDF
// with its page count, size and hash as other tools compute them, and the bounds on hostile files. qpdf and
// pdfinfo (poppler-utils) are the independent readers; .ci/run installs them.

const MiB = 1024 * 1024;
/** A worker per input: a fifth of FUZZ_RUNS (vitest.config.ts), 40 in `npm test`. */
const MUTATION_RUNS = Math.ceil(Number(process.env.FUZZ_RUNS ?? 200) / 5);
let workerFile: URL;
const scratch = mkdtempSync(join(tmpdir(), 'esign-document-check-'));

beforeAll(async () => {
  workerFile = await pdfReaderWorker();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The check as a function taking uploads would call it, with a worker timeout long enough that no test depends
 * on the machine's speed (the service's default is 10 s); the one test of the timeout sets its own.
 */
const inspect = (bytes: Uint8Array, options: Partial<InspectOptions> = {}): Promise<DocumentCheck> =>
  inspectPdf(bytes, { maxBytes: 25 * MiB, ...options, bounds: { workerFile, timeoutMs: 25_000, ...options.bounds } });

const refusal = (check: DocumentCheck): { code: string; reason: string } => {
  if (check.ok) throw new Error(`expected a refusal, got ${JSON.stringify(check)}`);
  return { code: check.code, reason: check.reason };
};

let fileNumber = 0;
/** Runs one of the installed PDF tools on the bytes and answers what it printed. */
const tool = (command: string, args: readonly string[], bytes: Uint8Array): string => {
  fileNumber += 1;
  const file = join(scratch, `${fileNumber}.pdf`);
  writeFileSync(file, bytes);
  const run = spawnSync(command, [...args, file], { encoding: 'utf8' });
  // qpdf exits 3 when it read the file with warnings (a repaired cross-reference table, say).
  if (run.status !== 0 && !(command === 'qpdf' && run.status === 3)) {
    throw new Error(`${command} failed (${run.status}): ${run.stderr}`);
  }
  return run.stdout;
};
const qpdfPages = (bytes: Uint8Array): number => Number(tool('qpdf', ['--show-npages'], bytes).trim());
const pdfinfoPages = (bytes: Uint8Array): number => Number(/^Pages:\s+(\d+)$/m.exec(tool('pdfinfo', [], bytes))?.[1]);

/** Peak growth of the process's resident memory while `run` runs (the worker is a thread of this process). */
const peakRssGrowth = async <T>(run: () => Promise<T>): Promise<{ result: T; growthMb: number }> => {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 2);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - before) / MiB };
  } finally {
    clearInterval(sampler);
  }
};

describe('a PDF the service can read', () => {
  it.each([
    { objectStreams: true, pages: 7 },
    { objectStreams: false, pages: 12 },
  ])(
    'is accepted with the page count qpdf and pdfinfo find, its size and its SHA-256 (object streams: $objectStreams)',
    async ({ objectStreams, pages }) => {
      const bytes = await validPdf({ pages, objectStreams });
      const check = await inspect(bytes);
      expect(check).toEqual({
        ok: true,
        pages: qpdfPages(bytes),
        size: bytes.byteLength,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      expect(pdfinfoPages(bytes)).toBe(pages);
      expect(qpdfPages(bytes)).toBe(pages);
    },
  );

  it('is accepted with junk before its header, within the 1024 bytes readers search', async () => {
    const pdf = await validPdf({ pages: 3 });
    const bytes = Buffer.concat([Buffer.alloc(1000, 'x'), pdf]);
    expect(await inspect(bytes)).toMatchObject({ ok: true, pages: qpdfPages(bytes), size: bytes.byteLength });
  });

  it('is accepted with a broken cross-reference table, which readers repair and pdf-lib never reads', async () => {
    const pdf = Buffer.from(await validPdf({ pages: 4, objectStreams: false }));
    const xrefAt = pdf.lastIndexOf('\nxref\n') + 1;
    const trailer = pdf.toString('latin1', pdf.lastIndexOf('trailer')).replace(/startxref\s+\d+/, 'startxref\n999999');
    const bytes = Buffer.concat([pdf.subarray(0, xrefAt), Buffer.from(`xref\n0 3\nthis is no table\n${trailer}`)]);
    expect(await inspect(bytes)).toMatchObject({ ok: true, pages: 4 });
    expect(qpdfPages(bytes)).toBe(4);
    expect(pdfinfoPages(bytes)).toBe(4);
  });
});

describe('bytes that are not a PDF are DOCUMENT_INVALID', () => {
  it.each([
    { what: 'empty', bytes: new Uint8Array(0) },
    { what: 'HTML', bytes: Buffer.from('<!doctype html><html><body>%PDF-1.7</body></html>'.padEnd(2000, ' ')) },
    { what: 'a PNG', bytes: Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex') },
    { what: 'a header after the first 1024 bytes', bytes: Buffer.concat([Buffer.alloc(1024, ' '), onePagePdf()]) },
    { what: '%PDF- without a version', bytes: Buffer.from('%PDF-x\n') },
  ])('$what', async ({ bytes }) => {
    expect(refusal(await inspect(bytes)).code).toBe('DOCUMENT_INVALID');
  });

  it('a PDF cut short', async () => {
    const pdf = await validPdf({ pages: 5 });
    const check = await inspect(pdf.subarray(0, Math.floor(pdf.byteLength / 2)));
    expect(refusal(check)).toEqual({ code: 'DOCUMENT_INVALID', reason: expect.any(String) as string });
  });

  it('a PDF with an object that cannot be parsed, in a reason that names none of pdf-lib', async () => {
    const bytes = onePagePdf(['<< /Broken (an unclosed string >>', '(never closed']);
    const { code, reason } = refusal(await inspect(bytes));
    expect(code).toBe('DOCUMENT_INVALID');
    expect(reason).not.toMatch(/pdf-lib|offset|line|column|at \w+ \(|node_modules|\//i);
  });
});

describe('an encrypted PDF is DOCUMENT_INVALID, even one that opens without a password', () => {
  it.each([true, false])('/Encrypt in the trailer (object streams: %s)', async (objectStreams) => {
    const { code, reason } = refusal(await inspect(await pdfNamingEncryption(objectStreams)));
    expect(code).toBe('DOCUMENT_INVALID');
    expect(reason).toMatch(/encrypted/);
  });

  it('encrypted by qpdf with an owner password only (readers open it without asking)', async () => {
    const plain = await validPdf({ pages: 2 });
    fileNumber += 1;
    const input = join(scratch, `${fileNumber}-plain.pdf`);
    const output = join(scratch, `${fileNumber}-encrypted.pdf`);
    writeFileSync(input, plain);
    execFileSync('qpdf', ['--encrypt', '', 'owner-secret', '256', '--', input, output]);
    const encrypted = readFileSync(output);
    expect(qpdfPages(encrypted)).toBe(2); // it opens, with no password
    expect(refusal(await inspect(encrypted))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /encrypted/ });
  });

  it.each([
    { spelling: 'with #xx escapes in the name', trailer: '/Root 1 0 R /Encr#79pt 4 0 R' },
    { spelling: 'with a comment before its value', trailer: '/Root 1 0 R /Encrypt % hidden\n4 0 R' },
    { spelling: 'with a long comment before its value', trailer: `/Root 1 0 R /Encrypt %${'-'.repeat(400)}\n4 0 R` },
  ])('/Encrypt spelt $spelling', async ({ trailer }) => {
    const bytes = onePagePdf(['<< /Filter /Standard /V 1 /R 2 /P -4 /O <00> /U <00> >>'], trailer);
    expect(refusal(await inspect(bytes))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /encrypted/ });
  });

  it('but a page that merely uses /Encrypt as a marked-content tag is not refused for it', async () => {
    const content = Buffer.from('/Encrypt BMC EMC\n', 'latin1');
    const bytes = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      { dict: '', data: content },
    ]);
    expect(await inspect(bytes)).toMatchObject({ ok: true, pages: 1 });
  });
});

describe('hostile structure is refused within bounds', () => {
  it('100,000 nested arrays: DOCUMENT_INVALID, no RangeError escapes', async () => {
    const depth = 100_000;
    const bytes = onePagePdf([`${'['.repeat(depth)}${']'.repeat(depth)}`]);
    expect(refusal(await inspect(bytes)).code).toBe('DOCUMENT_INVALID');
  });

  it('nesting pdf-lib parses but deeper than the bound (300 > 256): DOCUMENT_INVALID, saying so', async () => {
    const depth = 300;
    const bytes = onePagePdf([`${'<< /A '.repeat(depth)}1${' >>'.repeat(depth)}`]);
    expect(refusal(await inspect(bytes))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /nests/ });
    // Just under the bound is fine: the bound, not the parser, refused it.
    const shallower = onePagePdf([`${'<< /A '.repeat(250)}1${' >>'.repeat(250)}`]);
    expect(await inspect(shallower)).toMatchObject({ ok: true, pages: 1 });
  });

  it('a page tree that is its own kid, claiming a billion pages: DOCUMENT_INVALID', async () => {
    const bytes = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 1000000000 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    ]);
    expect(refusal(await inspect(bytes))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /twice/ });
  });

  it('a page tree listing one subtree twice at every level (2^40 pages to a walk that does not notice): DOCUMENT_INVALID', async () => {
    const levels = 40;
    // Object 2 is the root; objects 3..levels+2 each list the next one twice; the last one lists the page.
    const nodes = Array.from({ length: levels }, (_, index) => {
      const next = index + 3;
      return `<< /Type /Pages /Kids [${next} 0 R ${next} 0 R] /Count ${2 ** (levels - index)} >>`;
    });
    const bytes = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      ...nodes,
      `<< /Type /Page /Parent ${levels + 1} 0 R /MediaBox [0 0 595 842] >>`,
    ]);
    expect(refusal(await inspect(bytes))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /twice/ });
  });

  it('a page tree whose /Count disagrees with its pages: DOCUMENT_INVALID', async () => {
    const bytes = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1000000000 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
    ]);
    expect(refusal(await inspect(bytes))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /Count/ });
  });

  it('no pages at all: DOCUMENT_INVALID', async () => {
    const bytes = rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
    expect(refusal(await inspect(bytes))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /no pages/ });
  });

  it('more pages than the limit: DOCUMENT_TOO_LARGE', async () => {
    const bytes = await validPdf({ pages: 6 });
    const check = await inspect(bytes, { limits: { maxPages: 5 } });
    expect(refusal(check)).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', reason: /more than 5 pages/ });
    expect(await inspect(bytes, { limits: { maxPages: 6 } })).toMatchObject({ ok: true, pages: 6 });
  });

  it('a cross-reference stream claiming a billion entries is read without walking them', async () => {
    const pdf = Buffer.from(await validPdf({ pages: 2 }));
    const bytes = Buffer.from(pdf.toString('latin1').replace(/\/Size \d+/, '/Size 1000000000'), 'latin1');
    expect(bytes.toString('latin1')).toContain('/Size 1000000000');
    expect(await inspect(bytes)).toMatchObject({ ok: true, pages: 2 });
  });
});

describe('decompression bombs do not take the memory they ask for', () => {
  let gibibyteOfZeros: Buffer;
  beforeAll(async () => {
    gibibyteOfZeros = await deflatedZeros(1024);
  });

  it('an object stream inflating to 1 GiB: DOCUMENT_TOO_LARGE, resident memory grows by under 200 MB', async () => {
    const bytes = onePagePdf([{ dict: '/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', data: gibibyteOfZeros }]);
    expect(bytes.byteLength).toBeLessThan(2 * MiB);
    const { result, growthMb } = await peakRssGrowth(() => inspect(bytes));
    expect(refusal(result)).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', reason: /inflate/ });
    expect(growthMb).toBeLessThan(200);
  });

  it('an object stream deflated twice (a few KiB, 1 GiB inside): DOCUMENT_TOO_LARGE, under 200 MB', async () => {
    const data = deflateSync(gibibyteOfZeros, { level: 9 });
    const bytes = onePagePdf([{ dict: '/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode]', data }]);
    expect(bytes.byteLength).toBeLessThan(64 * 1024);
    const { result, growthMb } = await peakRssGrowth(() => inspect(bytes));
    expect(refusal(result)).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', reason: /inflate/ });
    expect(growthMb).toBeLessThan(200);
  });

  it('a page whose content stream inflates to 1 GiB is accepted without inflating it', async () => {
    const bytes = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
      { dict: '/Filter /FlateDecode', data: gibibyteOfZeros },
    ]);
    const { result, growthMb } = await peakRssGrowth(() => inspect(bytes));
    expect(result).toMatchObject({ ok: true, pages: 1 });
    expect(growthMb).toBeLessThan(200);
  });

  it('an object stream compressed with another filter than FlateDecode: DOCUMENT_INVALID', async () => {
    const bytes = onePagePdf([
      { dict: '/Type /ObjStm /N 1 /First 4 /Filter /RunLengthDecode', data: Buffer.alloc(64) },
    ]);
    expect(refusal(await inspect(bytes))).toMatchObject({ code: 'DOCUMENT_INVALID', reason: /object stream/ });
  });
});

describe('what pdf-lib cannot bound, the worker does', () => {
  it('bytes that make pdf-lib loop for hours are refused when the time runs out', async () => {
    // pdf-lib looks for an object header at every byte of junk, reading the whole run of digits each time.
    const bytes = Buffer.concat([onePagePdf(), Buffer.from('x'), Buffer.alloc(2 * MiB, '1')]);
    const check = await inspect(bytes, { bounds: { timeoutMs: 1_000 } });
    expect(refusal(check)).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', reason: /too long/ });
  });

  it('a document whose objects need more heap than allowed is refused, and the process lives on', async () => {
    // Four million numbers in one array: some hundreds of MiB of pdf-lib objects.
    const bytes = onePagePdf([`[${'0 '.repeat(4_000_000)}]`]);
    const check = await inspect(bytes, { bounds: { heapMb: 64, timeoutMs: 120_000 } });
    expect(refusal(check)).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', reason: /memory/ });
  }, 150_000);
});

describe('size', () => {
  it('bytes over the limit are DOCUMENT_TOO_LARGE before anything reads them', async () => {
    const bytes = await validPdf({ pages: 1, paddingBytes: 4096 });
    const check = await inspect(bytes, { maxBytes: bytes.byteLength - 1 });
    expect(refusal(check)).toMatchObject({ code: 'DOCUMENT_TOO_LARGE', reason: new RegExp(`${bytes.byteLength - 1}`) });
    expect(await inspect(bytes, { maxBytes: bytes.byteLength })).toMatchObject({ ok: true });
  });
});

describe('the declared SHA-256', () => {
  const bytes = Buffer.from('the very bytes');
  const sha256 = createHash('sha256').update(bytes).digest('hex');

  it('matches in either case', () => {
    expect(checkDeclaredSha256(sha256.toUpperCase(), bytes)).toEqual({ ok: true, sha256 });
    expect(checkDeclaredSha256(sha256, bytes)).toEqual({ ok: true, sha256 });
  });

  it.each([
    { what: 'one digit changed', declared: `${sha256.slice(0, -1)}${sha256.endsWith('0') ? '1' : '0'}` },
    { what: 'the hash of other bytes', declared: createHash('sha256').update('other bytes').digest('hex') },
    { what: 'not hex at all', declared: 'not a hash' },
    { what: 'empty', declared: '' },
  ])('is DOCUMENT_HASH_MISMATCH with $what', ({ declared }) => {
    expect(checkDeclaredSha256(declared, bytes)).toMatchObject({ ok: false, code: 'DOCUMENT_HASH_MISMATCH' });
  });
});

describe('any bytes at all', () => {
  it('mutations of a valid PDF never make the check throw: always accepted or refused with a code', async () => {
    const pdf = await validPdf({ pages: 3 });
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(pdf.byteLength - 1), byte: fc.nat(255) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(pdf.byteLength - 1) }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(pdf.byteLength - 1),
        text: fc.constantFrom('[', '<<', '(', ')', '>>', 'endobj', 'stream', '/Type /Pages', '99999999999', '%'),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let bytes = Buffer.from(pdf);
        for (const change of mutations) {
          const at = Math.min(change.at, Math.max(bytes.byteLength - 1, 0));
          if (change.kind === 'set') bytes[at] = change.byte;
          else if (change.kind === 'cut') bytes = bytes.subarray(0, at);
          else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(change.text), bytes.subarray(at)]);
        }
        const check = await inspect(bytes);
        if (check.ok) expect(check.pages).toBeGreaterThan(0);
        else {
          expect(['DOCUMENT_INVALID', 'DOCUMENT_TOO_LARGE']).toContain(check.code);
          expect(check.reason).toMatch(/^The (PDF|document) /);
          expect(check.reason).not.toMatch(/node_modules|\bat \S+ \(|Error/);
        }
      }),
      { numRuns: MUTATION_RUNS },
    );
    // A worker per input on a shared machine: the timeout only catches a hang.
  }, 600_000);
});
