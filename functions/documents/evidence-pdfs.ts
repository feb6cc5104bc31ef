import { SHOWN_LENGTH, shownValue } from './certificate-content.ts';
import type { CertificateFacts } from './certificate-facts.ts';
import { certificatePdf } from './certificate-pdf.ts';
import { combinedDocument } from './combined-document.ts';
import { sealPdf, type SealLabel } from './seal.ts';
import type { SealingKey } from './sealing-key.ts';

/**
 * The two evidence PDFs the service hands out, each sealed. The one module a sealing function imports: it, and
 * only it, pulls in pdf-lib and @signpdf (the verify function needs neither: verify-seal.ts).
 */
export interface EvidenceOptions {
  readonly serviceName: string;
  readonly key: SealingKey;
  /** When the seal is made (the signature's /M). */
  readonly now: Date;
}

const label = (facts: CertificateFacts, options: EvidenceOptions): SealLabel => ({
  requestNo: facts.requestNo,
  signRequestId: facts.signRequestId,
  serviceName: options.serviceName,
  at: options.now,
});

/** The sealed certificate of a request in any state. */
export const sealedCertificate = async (facts: CertificateFacts, options: EvidenceOptions): Promise<Buffer> =>
  sealPdf(await certificatePdf(facts, options), options.key, label(facts, options));

/**
 * The sealed signed document: the original's pages followed by the certificate's; a request that holds no
 * document (`original` undefined) has the certificate's pages alone.
 */
export const sealedSignedDocument = async (
  original: Uint8Array | undefined,
  facts: CertificateFacts,
  options: EvidenceOptions,
): Promise<Buffer> => {
  const certificate = await certificatePdf(facts, options);
  const name = facts.document === null ? facts.requestNo : facts.document.name;
  const title = `Signed: ${shownValue(name, SHOWN_LENGTH.name)} (${shownValue(facts.requestNo, SHOWN_LENGTH.id)})`;
  if (original === undefined) {
    certificate.setTitle(title);
    return sealPdf(certificate, options.key, label(facts, options));
  }
  const combined = await combinedDocument(original, certificate, title);
  return sealPdf(combined, options.key, label(facts, options));
};
