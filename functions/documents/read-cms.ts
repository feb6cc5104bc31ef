import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CMS_OID } from './cms-signature.ts';

/** What `verifySeal` checks of a seal's CMS. */
export interface SealCms {
  /** The message-digest attribute: the SHA-256 the signer computed over the signed bytes. */
  readonly digest: Buffer;
  /** The signed attributes as signed: their bytes as received, with the [0] tag turned into SET. */
  readonly signedAttributes: Buffer;
  readonly signature: Buffer;
  /** The first certificate the CMS carries, DER: the signer's, as `cmsDetachedSignature` writes it. */
  readonly signerCertificate: Buffer;
  /** The signing-certificate-v2 attribute's SHA-256 of the signer's certificate. */
  readonly signerCertificateHash: Buffer;
}

const SIGNATURE_ALGORITHMS: ReadonlySet<string> = new Set([CMS_OID.rsaEncryption, CMS_OID.ecdsaWithSha256]);

const only = <T>(values: readonly T[] | undefined): T | undefined => (values?.length === 1 ? values[0] : undefined);

/** The certificate hash of a signing-certificate-v2 value as our seal writes it (SHA-256 by default, no algorithm). */
const certificateHash = (value: unknown): Buffer | undefined => {
  if (!(value instanceof asn1js.Sequence)) return undefined;
  const certs = value.valueBlock.value[0];
  if (!(certs instanceof asn1js.Sequence)) return undefined;
  const essCertIdV2 = certs.valueBlock.value[0];
  if (!(essCertIdV2 instanceof asn1js.Sequence)) return undefined;
  const hash = essCertIdV2.valueBlock.value[0];
  return hash instanceof asn1js.OctetString ? Buffer.from(hash.valueBlock.valueHexView) : undefined;
};

/**
 * Reads a seal's CMS, accepting only the shape `cmsDetachedSignature` makes: DER followed by nothing but zero
 * padding, SignedData and SignerInfo version 1, one signer, SHA-256, detached data content, exactly the three
 * signed attributes, no unsigned attributes or CRLs. The parts no signature covers (the certificates, the
 * versions) are held to that shape too, so a file whose seal was edited is not taken for ours. Undefined for
 * anything else; may throw on bytes asn1js or pkijs cannot parse (the caller catches).
 */
export const readSealCms = (der: Buffer): SealCms | undefined => {
  const parsed = asn1js.fromBER(new Uint8Array(der));
  if (parsed.offset === -1 || der.subarray(parsed.offset).some((byte) => byte !== 0)) return undefined;
  const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
  if (contentInfo.contentType !== CMS_OID.signedData) return undefined;
  const signedData = new pkijs.SignedData({ schema: contentInfo.content as asn1js.BaseBlock });
  const signerInfo = only(signedData.signerInfos);
  const digestAlgorithm = only(signedData.digestAlgorithms);
  const [certificate] = signedData.certificates ?? [];
  if (signerInfo?.signedAttrs === undefined || !(certificate instanceof pkijs.Certificate)) return undefined;
  if (signedData.version !== 1 || signerInfo.version !== 1) return undefined;
  if (signedData.crls !== undefined || signerInfo.unsignedAttrs !== undefined) return undefined;
  if (signedData.encapContentInfo.eContentType !== CMS_OID.data || signedData.encapContentInfo.eContent !== undefined)
    return undefined;
  if (digestAlgorithm?.algorithmId !== CMS_OID.sha256 || signerInfo.digestAlgorithm.algorithmId !== CMS_OID.sha256)
    return undefined;
  if (!SIGNATURE_ALGORITHMS.has(signerInfo.signatureAlgorithm.algorithmId)) return undefined;
  const attributes = signerInfo.signedAttrs.attributes;
  if (attributes.length !== 3) return undefined;
  const value = (type: string): unknown => only(attributes.find((attr) => attr.type === type)?.values);
  const contentType = value(CMS_OID.contentType);
  const messageDigest = value(CMS_OID.messageDigest);
  const signerCertificateHash = certificateHash(value(CMS_OID.signingCertificateV2));
  if (!(contentType instanceof asn1js.ObjectIdentifier) || contentType.getValue() !== CMS_OID.data) return undefined;
  if (!(messageDigest instanceof asn1js.OctetString) || signerCertificateHash === undefined) return undefined;
  return {
    digest: Buffer.from(messageDigest.valueBlock.valueHexView),
    signedAttributes: Buffer.from(signerInfo.signedAttrs.encodedValue),
    signature: Buffer.from(signerInfo.signature.valueBlock.valueHexView),
    signerCertificate: Buffer.from(certificate.toSchema().toBER(false)),
    signerCertificateHash,
  };
};
