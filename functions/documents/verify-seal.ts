import { createHash, timingSafeEqual, verify, type X509Certificate } from 'node:crypto';
import { cmsSignedData, signedAttributesDer } from './cms-signature.ts';
import { readSealCmsParts, type SealCmsParts } from './read-cms.ts';
import { readSealReason } from './seal-reason.ts';
import { signatureInGap, signedBytes, signedRanges, type SignedRange } from './signed-ranges.ts';

/** Why a file is not intact evidence of this service; the text says nothing about any request. */
export const SealRefusal = {
  notPdf: 'The file is not a PDF.',
  notSealed: 'The file carries no seal.',
  notWhole: 'The file was changed after it was sealed: its seal does not cover the whole file.',
  unreadable: 'The seal cannot be read.',
  changed: 'The file was changed after it was sealed: its bytes do not match the seal.',
  foreign: 'The file was not sealed by this service.',
} as const;

export type SealVerdict =
  | { readonly valid: true; readonly signRequestId: string; readonly requestNo: string; readonly sha256: string }
  | { readonly valid: false; readonly reason: (typeof SealRefusal)[keyof typeof SealRefusal] };

const PDF_HEADER = Buffer.from('%PDF-');
/** Readers such as Acrobat accept a header anywhere in the first KiB; so does the check for one. */
const HEADER_WITHIN = 1024;
/** How far after the signature's gap its /Reason is looked for: the dictionary's own entries, nothing further. */
const REASON_WITHIN = 1024;

const sha256Of = (parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * Whether `certificate` made this seal: the CMS names it as the signer (its first certificate), is byte for byte
 * the CMS the sealer writes for these parts (so nothing in it, signed or not, was edited), and the signature over
 * the signed attributes verifies with the certificate's key.
 */
const sealedWith = (der: Buffer, parts: SealCmsParts, certificate: X509Certificate): boolean => {
  const [signer] = parts.chain;
  const keyType = certificate.publicKey.asymmetricKeyType;
  if (signer === undefined || !signer.equals(certificate.raw) || (keyType !== 'rsa' && keyType !== 'ec')) return false;
  const rebuilt = cmsSignedData({ digest: parts.digest, signature: parts.signature, chain: parts.chain, keyType });
  if (!rebuilt.equals(der.subarray(0, parts.length)) || der.subarray(parts.length).some((byte) => byte !== 0))
    return false;
  try {
    return verify('sha256', signedAttributesDer(parts.digest, certificate.raw), certificate.publicKey, parts.signature);
  } catch {
    return false;
  }
};

/** The /Reason literal string of the signature dictionary, which our seal writes right after /Contents. */
const reasonAfter = (pdf: Uint8Array, range: SignedRange): string | undefined => {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString(
    'latin1',
    range.gapEnd,
    Math.min(range.end, range.gapEnd + REASON_WITHIN),
  );
  return /\/Reason\s*\(([^()\\]*)\)/.exec(text)?.[1];
};

const checkRange = (pdf: Uint8Array, range: SignedRange, trusted: readonly X509Certificate[]): SealVerdict => {
  const der = signatureInGap(pdf, range);
  if (der === undefined) return { valid: false, reason: SealRefusal.unreadable };
  // Bytes asn1js cannot parse throw; verifySeal answers those as unreadable too.
  const parts = readSealCmsParts(der);
  if (parts === undefined) return { valid: false, reason: SealRefusal.unreadable };
  const digest = sha256Of(signedBytes(pdf, range));
  if (parts.digest.byteLength !== digest.byteLength || !timingSafeEqual(parts.digest, digest))
    return { valid: false, reason: SealRefusal.changed };
  if (!trusted.some((certificate) => sealedWith(der, parts, certificate)))
    return { valid: false, reason: SealRefusal.foreign };
  const reason = reasonAfter(pdf, range);
  const ids = reason === undefined ? undefined : readSealReason(reason);
  // Signed by our key yet without our ids: not a seal this code made, so not evidence of any request.
  if (ids === undefined) return { valid: false, reason: SealRefusal.foreign };
  return { valid: true, ...ids, sha256: sha256Of([pdf]).toString('hex') };
};

/**
 * Whether `pdf` is intact evidence this service sealed, checked here rather than taken from a library's verdict:
 * a signature whose byte range reaches the last byte of the file, around a gap holding only the CMS; the SHA-256
 * of the signed bytes equal to the CMS's message-digest attribute; the CMS byte for byte what the sealer writes
 * for its parts, naming one of `trusted` (the service's certificates: the current one and any it sealed with
 * before) as its signer, whose key made the signature over the signed attributes; and the request's ids read from
 * the signed /Reason. Certificate chains, validity periods and revocation are not checked: trust is the
 * service's own key, not a CA's word. Never throws: any input gets a verdict.
 */
export const verifySeal = (pdf: Uint8Array, trusted: readonly X509Certificate[]): SealVerdict => {
  try {
    const head = Buffer.from(pdf.buffer, pdf.byteOffset, Math.min(pdf.byteLength, HEADER_WITHIN));
    if (head.indexOf(PDF_HEADER) === -1) return { valid: false, reason: SealRefusal.notPdf };
    const ranges = signedRanges(pdf);
    if (ranges.length === 0) return { valid: false, reason: SealRefusal.notSealed };
    // Only a signature that reaches the last byte can vouch for the file; the others are of an earlier revision.
    const whole = ranges.filter((range) => range.end === pdf.byteLength);
    const [range] = whole;
    if (range === undefined || whole.length > 1) return { valid: false, reason: SealRefusal.notWhole };
    return checkRange(pdf, range, trusted);
  } catch {
    return { valid: false, reason: SealRefusal.unreadable };
  }
};
