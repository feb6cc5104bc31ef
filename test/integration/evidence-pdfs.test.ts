import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateFacts, OutcomeFacts } from '../../functions/documents/certificate-facts.ts';
import { SHOWN_LENGTH } from '../../functions/documents/certificate-content.ts';
import { sealedCertificate, sealedSignedDocument } from '../../functions/documents/evidence-pdfs.ts';
import { generateLocalSealingKey } from '../../functions/documents/local-sealing-key.ts';
import { loadSealingKey, type SealingKey } from '../../functions/documents/sealing-key.ts';
import { verifySeal } from '../../functions/documents/verify-seal.ts';
import { factsToFind, sampleFacts, sampleSigner } from '../support/certificate-facts.ts';
import { originalPageText, sampleOriginal } from '../support/sample-pdfs.ts';
import { pageCount, pdfText, pdfsig, qpdfCheck } from '../support/pdf-tools.ts';

// The certificate and the signed document as a reader gets them: their text through poppler's pdftotext, their
// seal through poppler's pdfsig (which verifies the CMS with NSS, independently of this code), their structure
// through qpdf.

const SERVICE = 'esign-recall';
let key: SealingKey;
beforeAll(async () => {
  key = loadSealingKey(await generateLocalSealingKey(SERVICE));
});
const options = () => ({ serviceName: SERVICE, key, now: new Date('2026-11-28T03:00:01Z') });

/** What pdfsig must print for a file the service sealed: one signature, valid, over the whole file. */
const expectSealedWhole = async (pdf: Uint8Array) => {
  const report = await pdfsig(pdf);
  expect(report.stdout).toContain('Signature #1:');
  expect(report.stdout).not.toContain('Signature #2:');
  expect(report.stdout).toContain('Signature Type: ETSI.CAdES.detached');
  expect(report.stdout).toContain('Total document signed');
  expect(report.stdout).toContain('Signature Validation: Signature is Valid.');
  // The local key is self-signed: poppler has no reason to trust its issuer, and says so.
  expect(report.stdout).toContain('Certificate Validation: Certificate issuer is unknown.');
  expect(report.stdout).toContain(`Signer Certificate Common Name: ${SERVICE} local evidence seal`);
  // Poppler reads the whole structure without a complaint ("Syntax Warning: ..." on stderr otherwise).
  expect(report.stderr).toBe('');
};

const expectSoundStructure = async (pdf: Uint8Array) => {
  const check = await qpdfCheck(pdf);
  expect(check.stdout + check.stderr).toContain('No syntax or stream encoding errors found');
  expect(check.code).toBe(0);
};

const outcomes: Record<OutcomeFacts['kind'], { outcome: OutcomeFacts; signed: number; heading: string }> = {
  completed: { outcome: { kind: 'completed', at: '2026-11-28T02:40:00.000Z' }, signed: 2, heading: 'COMPLETED' },
  recalled: {
    outcome: {
      kind: 'recalled',
      by: 'Mohit Bansal',
      at: '2026-11-28T02:30:00.000Z',
      reason: 'Request raised mistakenly',
      ip: '198.51.100.23',
      userAgent: 'curl/8.11.1',
    },
    signed: 1,
    heading: 'RECALLED',
  },
  declined: {
    outcome: { kind: 'declined', by: 'Signer 1 Okafor-Rao', at: '2026-11-28T02:20:00.000Z', reason: 'Wrong rate' },
    signed: 1,
    heading: 'DECLINED',
  },
  expired: { outcome: { kind: 'expired', at: '2026-12-05T00:00:00.000Z' }, signed: 1, heading: 'EXPIRED' },
  open: { outcome: { kind: 'open' }, signed: 0, heading: 'OPEN' },
};

describe('the certificate', () => {
  for (const [kind, { outcome, signed, heading }] of Object.entries(outcomes)) {
    it(`of the ${kind} outcome states every fact, is sealed over the whole file, and is sound`, async () => {
      const facts = sampleFacts(outcome, 2, signed);
      const pdf = await sealedCertificate(facts, options());
      const text = await pdfText(pdf);
      for (const fact of factsToFind(facts)) expect(text, `fact ${fact}`).toContain(fact);
      expect(text).toContain(`Outcome: ${heading}`);
      await expectSealedWhole(pdf);
      await expectSoundStructure(pdf);
    });
  }

  it('of a declined signer shows when and why that signer declined', async () => {
    const decliner = { ...sampleSigner(1, 'DECLINED'), declinedAt: '2026-11-28T02:20:00.000Z', declineReason: 'Rate' };
    const facts = { ...sampleFacts(outcomes.declined.outcome), signers: [sampleSigner(0, 'SIGNED'), decliner] };
    const text = await pdfText(await sealedCertificate(facts, options()));
    for (const fact of factsToFind(facts)) expect(text, `fact ${fact}`).toContain(fact);
  });

  it('says so when the request carries no document', async () => {
    const withDocument = sampleFacts({ kind: 'open' });
    // Without a document, no signer was shown a hash either.
    const signers = withDocument.signers.map(({ documentSha256Shown: _, ...signer }) => signer);
    const facts: CertificateFacts = { ...withDocument, document: null, signers };
    const text = await pdfText(await sealedCertificate(facts, options()));
    expect(text).toContain('This request carries no document.');
    expect(text).not.toContain('SHA-256');
  });

  it('flows 60 signers over as many pages as they need, each signer whole and in order', async () => {
    const facts = sampleFacts({ kind: 'completed', at: '2026-11-28T02:40:00.000Z' }, 60, 60);
    const pdf = await sealedCertificate(facts, options());
    const pages = await pageCount(pdf);
    expect(pages).toBeGreaterThan(5);
    const text = await pdfText(pdf);
    for (const fact of factsToFind(facts)) expect(text, `fact ${fact}`).toContain(fact);
    const order = facts.signers.map((signer) => text.indexOf(signer.email));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text).toContain(`Page ${pages} of ${pages}`);
    await expectSealedWhole(pdf);
    await expectSoundStructure(pdf);
  });

  it('draws what its font cannot encode as code points, drops control characters, and cuts a 10 KB value', async () => {
    const chinese = '张伟';
    const longReason = `Budget withdrawn ${'because '.repeat(1300)}`; // over 10 KB
    const facts: CertificateFacts = {
      ...sampleFacts({
        kind: 'recalled',
        by: `Ops\u0007 bot\u202E`,
        at: '2026-11-28T02:30:00.000Z',
        reason: longReason,
      }),
      sender: 'Acme 🚀 Contracts',
      signers: [{ ...sampleSigner(0, 'SIGNED'), name: chinese, typedName: `${chinese} ✍️` }],
    };
    const pdf = await sealedCertificate(facts, options());
    const text = await pdfText(pdf);
    const codePoints = (value: string) =>
      [...value].map((char) => `[U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`);
    expect(text).toContain(codePoints(chinese).join(''));
    expect(text).toContain(`Acme ${codePoints('🚀').join('')} Contracts`);
    expect(text).toContain('Ops bot');
    expect(text).not.toContain('\u0007');
    expect(text).not.toContain('\u202E');
    // The reason is cut to what the certificate shows: its start is there, its full length is not.
    expect(text).toContain('Budget withdrawn because because');
    expect(text.split('because').length - 1).toBeLessThan(SHOWN_LENGTH.text / 'because '.length + 1);
    expect(text).toContain('…');
    await expectSealedWhole(pdf);
    await expectSoundStructure(pdf);
  });
});

describe('the signed document', () => {
  it("is the original's pages followed by the certificate's, sealed over the whole file", async () => {
    const originalPages = 3;
    const original = await sampleOriginal(originalPages);
    const facts = sampleFacts({ kind: 'completed', at: '2026-11-28T02:40:00.000Z' }, 2, 2);
    const certificatePages = await pageCount(await sealedCertificate(facts, options()));
    const pdf = await sealedSignedDocument(original, facts, options());

    expect(await pageCount(pdf)).toBe(originalPages + certificatePages);
    for (let page = 1; page <= originalPages; page++)
      expect(await pdfText(pdf, { first: page, last: page })).toContain(originalPageText(page, originalPages));
    const certificateText = await pdfText(pdf, { first: originalPages + 1, last: originalPages + certificatePages });
    for (const fact of factsToFind(facts)) expect(certificateText, `fact ${fact}`).toContain(fact);
    await expectSealedWhole(pdf);
    await expectSoundStructure(pdf);
  });

  it('drops the signatures the original carried: the seal is the one signature a reader finds', async () => {
    const facts = sampleFacts({ kind: 'completed', at: '2026-11-28T02:40:00.000Z' }, 2, 2);
    const alreadySigned = await sealedCertificate(facts, options());
    const pdf = await sealedSignedDocument(alreadySigned, facts, options());
    expect(await pageCount(pdf)).toBe(2 * (await pageCount(alreadySigned)));
    await expectSealedWhole(pdf);
    expect(verifySeal(pdf, [key.certificate])).toMatchObject({ valid: true, signRequestId: facts.signRequestId });
  });

  it('refuses an original pdf-lib cannot read', async () => {
    const facts = sampleFacts({ kind: 'completed', at: '2026-11-28T02:40:00.000Z' });
    await expect(sealedSignedDocument(Buffer.from('not a pdf at all'), facts, options())).rejects.toThrow();
  });

  it('loads again in pdf-lib with the seal intact in its AcroForm', async () => {
    const pdf = await sealedSignedDocument(await sampleOriginal(1), sampleFacts({ kind: 'open' }), options());
    const reloaded = await PDFDocument.load(pdf);
    expect(
      reloaded
        .getForm()
        .getFields()
        .map((field) => field.getName()),
    ).toEqual(['Signature1']);
  });
});
