import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED, Signer } from '@signpdf/utils';
import type { PDFDocument } from 'pdf-lib';
import { cmsDetachedSignature } from './cms-signature.ts';
import { sealReason, type SealedIds } from './seal-reason.ts';
import type { SealingKey } from './sealing-key.ts';

/**
 * Room for everything in the CMS but the certificates: signed attributes, the issuer's name, an RSA-4096 or
 * ECDSA signature. The certificates' own sizes are added per key, so an operator's longer chain still fits.
 */
const CMS_OVERHEAD_BYTES = 3072;

/** @signpdf's signing step, with the CMS made by `cmsDetachedSignature`. */
class CadesSigner extends Signer {
  constructor(private readonly key: SealingKey) {
    super();
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface is async; node:crypto signs in place
  override async sign(signedBytes: Buffer): Promise<Buffer> {
    return cmsDetachedSignature(signedBytes, this.key);
  }
}

export interface SealLabel extends SealedIds {
  /** Written as the signature's /Name and the producing application's name. */
  readonly serviceName: string;
  /** The signature's /M. */
  readonly at: Date;
}

/**
 * Seals a document: one invisible PDF signature (SubFilter ETSI.CAdES.detached) whose byte range covers the whole
 * saved file but its own /Contents, carrying the request's ids in /Reason. The document is saved with a classic
 * cross-reference table (no object streams) so the one signature dictionary sits in plain bytes; anything
 * appended later (an incremental update) falls outside the signed range, which `verifySeal` and pdfsig report.
 */
export const sealPdf = async (document: PDFDocument, key: SealingKey, label: SealLabel): Promise<Buffer> => {
  const certificateBytes = key.chain.reduce((sum, der) => sum + der.byteLength, 0);
  pdflibAddPlaceholder({
    pdfDoc: document,
    reason: sealReason(label),
    contactInfo: '',
    name: label.serviceName,
    location: '',
    signingTime: label.at,
    // Counted in hex digits, two per CMS byte; an odd count would make @signpdf drop a byte of the file.
    signatureLength: 2 * (certificateBytes + CMS_OVERHEAD_BYTES),
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: label.serviceName,
  });
  const unsigned = await document.save({ useObjectStreams: false });
  return new SignPdf().sign(Buffer.from(unsigned), new CadesSigner(key));
};
