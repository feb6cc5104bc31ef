import { createHash, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SealingKey } from './sealing-key.ts';

export const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

const attribute = (type: string, value: asn1js.BaseBlock): pkijs.Attribute =>
  new pkijs.Attribute({ type, values: [value] });

/**
 * ESS signing-certificate-v2 (RFC 5035): binds the signature to the signer's certificate by its SHA-256, which
 * CAdES (and so PAdES, SubFilter ETSI.CAdES.detached) requires. SHA-256 is the attribute's default hash, so DER
 * leaves the algorithm out.
 */
const signingCertificateV2 = (certificateDer: Buffer): asn1js.Sequence => {
  const certHash = createHash('sha256').update(certificateDer).digest();
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash })] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
};

/** DER orders a SET OF by the encodings of its elements; signers and verifiers must see the same bytes. */
const derOrdered = (attributes: pkijs.Attribute[]): pkijs.Attribute[] =>
  attributes
    .map((attr) => ({ attr, der: Buffer.from(attr.toSchema().toBER(false)) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map(({ attr }) => attr);

/**
 * A detached CMS SignedData over `content` (the PDF's bytes outside the signature's gap), as PAdES baseline B-B
 * asks: signed attributes content-type, message-digest and signing-certificate-v2, no signing-time (the PDF's /M
 * carries the time), the signer's certificate chain included. Signed with node:crypto, so an RSA key signs
 * PKCS#1 v1.5 and an EC key ECDSA with a DER signature, both over SHA-256.
 */
export const cmsDetachedSignature = (content: Uint8Array, key: SealingKey): Buffer => {
  const [signerDer] = key.chain;
  if (signerDer === undefined) throw new Error('The sealing key has no certificate');
  const signer = pkijs.Certificate.fromBER(signerDer);
  const digest = createHash('sha256').update(content).digest();
  const signedAttributes = derOrdered([
    attribute(CMS_OID.contentType, new asn1js.ObjectIdentifier({ value: CMS_OID.data })),
    attribute(CMS_OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
    attribute(CMS_OID.signingCertificateV2, signingCertificateV2(signerDer)),
  ]);
  const toBeSigned = new asn1js.Set({ value: signedAttributes.map((attr) => attr.toSchema()) }).toBER(false);
  const signature = sign('sha256', new Uint8Array(toBeSigned), key.privateKey);
  const isRsa = key.privateKey.asymmetricKeyType === 'rsa';
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: CMS_OID.data }),
    certificates: key.chain.map((der) => pkijs.Certificate.fromBER(der)),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.issuer, serialNumber: signer.serialNumber }),
        digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.sha256 }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: signedAttributes }),
        signatureAlgorithm: isRsa
          ? new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.rsaEncryption, algorithmParams: new asn1js.Null() })
          : new pkijs.AlgorithmIdentifier({ algorithmId: CMS_OID.ecdsaWithSha256 }),
        signature: new asn1js.OctetString({ valueHex: signature }),
      }),
    ],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: CMS_OID.signedData, content: signedData.toSchema(true) });
  return Buffer.from(contentInfo.toSchema().toBER(false));
};
