import { execFile } from 'node:child_process';
import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealedCertificate, sealedSignedDocument } from '../../functions/documents/evidence-pdfs.ts';
import { generateLocalSealingKey } from '../../functions/documents/local-sealing-key.ts';
import { loadSealingKey, type SealingKey, type SealingKeyPem } from '../../functions/documents/sealing-key.ts';
import { signedRanges } from '../../functions/documents/signed-ranges.ts';
import { SealRefusal, verifySeal } from '../../functions/documents/verify-seal.ts';
import { sampleFacts } from '../support/certificate-facts.ts';
import { appendIncrementalUpdate } from '../support/incremental-update.ts';
import { pdfsig, qpdfCheck } from '../support/pdf-tools.ts';
import { sampleOriginal } from '../support/sample-pdfs.ts';

// verifySeal against files the service sealed and files changed after, with poppler's pdfsig as the second
// opinion on each: the service's own check must agree with an independent verifier.

const SERVICE = 'esign-recall';
const facts = sampleFacts({ kind: 'completed', at: '2026-11-28T02:40:00.000Z' }, 2, 2);
const now = new Date('2026-11-28T03:00:01Z');

/** An operator's RSA key and certificate, made by openssl as an operator would (PKCS#8 key, PEM certificate). */
const opensslRsaKey = async (): Promise<SealingKeyPem> => {
  const { stdout } = await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    '-',
    '-out',
    '-',
    '-subj',
    '/CN=Operator seal',
    '-days',
    '2',
  ]);
  const privateKeyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(stdout)?.[0];
  const certificatePem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(stdout)?.[0];
  if (privateKeyPem === undefined || certificatePem === undefined) throw new Error('openssl made no key');
  return { privateKeyPem, certificatePem };
};

let key: SealingKey;
let otherKey: SealingKey;
let sealed: Buffer;
let signedDocument: Buffer;
beforeAll(async () => {
  [key, otherKey] = await Promise.all([
    generateLocalSealingKey(SERVICE).then(loadSealingKey),
    generateLocalSealingKey(SERVICE).then(loadSealingKey),
  ]);
  sealed = await sealedCertificate(facts, { serviceName: SERVICE, key, now });
  signedDocument = await sealedSignedDocument(await sampleOriginal(3), facts, { serviceName: SERVICE, key, now });
});
const trusted = () => [key.certificate];

/** `%PDF-` and a gap holding `gap`, then a /ByteRange whose ranges reach exactly the last byte. */
const coveringByteRange = (gap: string): Buffer => {
  const head = '%PDF-1.7\n';
  const gapEnd = head.length + gap.length;
  for (let digits = 1; ; digits++) {
    const tail = `\n/ByteRange [0 ${head.length} ${gapEnd} ${'9'.repeat(digits)}]\n%%EOF\n`;
    // The second range is the tail itself: its length, written with as many digits as the placeholder had.
    if (String(tail.length).length === digits)
      return Buffer.from(`${head}${gap}${tail.replace('9'.repeat(digits), String(tail.length))}`, 'latin1');
  }
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const withByte = (pdf: Buffer, at: number, value: number) => {
  const copy = Buffer.from(pdf);
  copy[at] = value;
  return copy;
};

describe('verifySeal', () => {
  it('answers valid, with the ids and the SHA-256 of the file, for an intact certificate and signed document', () => {
    for (const pdf of [sealed, signedDocument])
      expect(verifySeal(pdf, trusted())).toEqual({
        valid: true,
        requestNo: facts.requestNo,
        signRequestId: facts.signRequestId,
        sha256: sha256(pdf),
      });
  });

  it('reads ids that need escaping in a PDF string back exactly', async () => {
    const odd = { ...facts, requestNo: 'ACME (EU)\\2026 Nº 7', signRequestId: '01M8FV8KRECGNRESTKQSW6EJEZ' };
    const pdf = await sealedCertificate(odd, { serviceName: SERVICE, key, now });
    expect(verifySeal(pdf, trusted())).toMatchObject({ valid: true, requestNo: odd.requestNo });
  });

  it('refuses a file with one byte changed inside either signed range, as pdfsig does', async () => {
    const [range] = signedRanges(sealed);
    if (range === undefined) throw new Error('no signed range');
    for (const at of [Math.floor(range.gapStart / 2), range.gapEnd + Math.floor((range.end - range.gapEnd) / 2)]) {
      const changed = withByte(sealed, at, sealed[at] === 0x20 ? 0x21 : 0x20);
      expect(verifySeal(changed, trusted())).toEqual({ valid: false, reason: SealRefusal.changed });
      expect((await pdfsig(changed)).stdout).not.toContain('Signature is Valid.');
    }
  });

  /** Every single-byte change at a position `position` draws is refused, and none throws. */
  const refusesChangesAt = (position: fc.Arbitrary<number>) =>
    fc.assert(
      fc.property(position, fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const verdict = verifySeal(withByte(sealed, at, ((sealed[at] ?? 0) + delta) % 256), trusted());
        expect(verdict.valid).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );

  it('refuses every single-byte change anywhere in the file, and never throws', () => {
    refusesChangesAt(fc.integer({ min: 0, max: sealed.byteLength - 1 }));
  });

  it('refuses every single-byte change inside the seal itself, its unsigned certificates and versions included', () => {
    const [range] = signedRanges(sealed);
    if (range === undefined) throw new Error('no signed range');
    // The CMS's hex digits, then the first of the padding zeros after them.
    const hex = sealed.toString('latin1', range.gapStart + 1, range.gapEnd - 1).replace(/0+$/, '');
    refusesChangesAt(fc.integer({ min: range.gapStart, max: range.gapStart + hex.length + 2 }));
  });

  it('refuses a file with an incremental update appended after sealing, which pdfsig says is not wholly signed', async () => {
    const updated = appendIncrementalUpdate(sealed, 'changed after sealing');
    expect((await qpdfCheck(updated)).code).toBe(0);
    const report = await pdfsig(updated);
    expect(report.stdout).toContain('Not total document signed');
    expect(verifySeal(updated, trusted())).toEqual({ valid: false, reason: SealRefusal.notWhole });
  });

  it('refuses a file sealed by another key, and accepts it once that key is among the trusted', async () => {
    const foreign = await sealedCertificate(facts, { serviceName: SERVICE, key: otherKey, now });
    expect((await pdfsig(foreign)).stdout).toContain('Signature is Valid.');
    expect(verifySeal(foreign, trusted())).toEqual({ valid: false, reason: SealRefusal.foreign });
    expect(verifySeal(foreign, [key.certificate, otherKey.certificate])).toMatchObject({ valid: true });
  });

  it("seals and verifies with an operator's RSA key and certificate", async () => {
    const operator = loadSealingKey(await opensslRsaKey());
    const pdf = await sealedSignedDocument(await sampleOriginal(1), facts, {
      serviceName: SERVICE,
      key: operator,
      now,
    });
    const report = await pdfsig(pdf);
    expect(report.stdout).toContain('Signer Certificate Common Name: Operator seal');
    expect(report.stdout).toContain('Total document signed');
    expect(report.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(verifySeal(pdf, [operator.certificate])).toMatchObject({ valid: true, requestNo: facts.requestNo });
    expect(verifySeal(pdf, trusted())).toEqual({ valid: false, reason: SealRefusal.foreign });
  });

  it('refuses an unsealed PDF', async () => {
    expect(verifySeal(await sampleOriginal(2), trusted())).toEqual({ valid: false, reason: SealRefusal.notSealed });
  });

  it('refuses a sealed file cut short', () => {
    expect(verifySeal(sealed.subarray(0, sealed.byteLength - 100), trusted())).toEqual({
      valid: false,
      reason: SealRefusal.notWhole,
    });
  });

  it('answers garbage with a verdict, never a throw', () => {
    const garbage = [
      Buffer.alloc(0),
      randomBytes(4096),
      Buffer.from('%PDF-1.7\n/ByteRange [0 10 20 30]\n%%EOF'),
      coveringByteRange('<zz>'),
      coveringByteRange(`<${'00'.repeat(64)}>`),
      coveringByteRange(`<${randomBytes(600).toString('hex')}>`),
      Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2048)]),
    ];
    expect(garbage.map((pdf) => verifySeal(pdf, trusted()))).toEqual([
      { valid: false, reason: SealRefusal.notPdf },
      { valid: false, reason: SealRefusal.notPdf },
      { valid: false, reason: SealRefusal.notWhole },
      { valid: false, reason: SealRefusal.unreadable },
      { valid: false, reason: SealRefusal.unreadable },
      { valid: false, reason: SealRefusal.unreadable },
      { valid: false, reason: SealRefusal.notSealed },
    ]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const withHeader = Buffer.concat([Buffer.from('%PDF-1.7\n/ByteRange [0 9 '), bytes]);
        for (const pdf of [bytes, withHeader]) expect(verifySeal(pdf, trusted()).valid).toBe(false);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200) },
    );
  });

  it('accepts a certificate given as node X509Certificate from its PEM, as a route would load it', () => {
    const fromPem = new X509Certificate(key.certificate.toString());
    expect(verifySeal(sealed, [fromPem])).toMatchObject({ valid: true });
  });
});
