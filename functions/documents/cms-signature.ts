import { createHash, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';

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

type Block = asn1js.AsnType;

const sequence = (...value: Block[]) => new asn1js.Sequence({ value });
const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
const octets = (bytes: Uint8Array) => new asn1js.OctetString({ valueHex: bytes });
/** A context-specific [0] around `value`: EXPLICIT or IMPLICIT alike, as the caller passes the content. */
const tagged0 = (...value: Block[]) => new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value });
const attribute = (type: string, value: Block) => sequence(oid(type), new asn1js.Set({ value: [value] }));
/** A DER block already encoded (a certificate, a name), as a block asn1js writes back byte for byte. */
const encoded = (der: Uint8Array): Block => asn1js.fromBER(der).result;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/**
 * The signed attributes PAdES baseline B-B asks for, DER-ordered (a SET OF is sorted by the elements' encodings):
 * content-type data, message-digest, and ESS signing-certificate-v2 (RFC 5035: the signer's certificate by its
 * SHA-256, the attribute's default hash, so no algorithm is written). No signing-time: the PDF's /M has it.
 */
const signedAttributes = (digest: Uint8Array, signerDer: Uint8Array): Block[] =>
  [
    attribute(CMS_OID.contentType, oid(CMS_OID.data)),
    attribute(CMS_OID.messageDigest, octets(digest)),
    attribute(CMS_OID.signingCertificateV2, sequence(sequence(sequence(octets(sha256(signerDer)))))),
  ]
    .map((block) => ({ block, der: Buffer.from(block.toBER(false)) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map(({ block }) => block);

/** What the signature is made over: the signed attributes as a SET (RFC 5652, 5.4). */
export const signedAttributesDer = (digest: Uint8Array, signerDer: Uint8Array): Buffer =>
  Buffer.from(new asn1js.Set({ value: signedAttributes(digest, signerDer) }).toBER(false));

/** The issuer and serial number of a certificate, as its own DER has them. */
const issuerAndSerial = (certificateDer: Uint8Array): Block => {
  const tbs = (encoded(certificateDer) as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const fields = tbs.valueBlock.value;
  // An explicit [0] version comes first in every v3 certificate; v1 certificates start with the serial.
  const start = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const serial = fields[start];
  const issuer = fields[start + 2];
  if (serial === undefined || issuer === undefined) throw new Error('The sealing certificate cannot be read');
  return sequence(issuer, serial);
};

export interface CmsParts {
  /** SHA-256 of the signed bytes. */
  readonly digest: Uint8Array;
  /** The signature over `signedAttributesDer(digest, chain[0])`. */
  readonly signature: Uint8Array;
  /** The certificates the CMS carries, DER, the signer's first. */
  readonly chain: readonly Uint8Array[];
  readonly keyType: 'rsa' | 'ec';
}

/**
 * The detached CMS SignedData (RFC 5652) for given parts. Deterministic: the same parts give the same bytes, so
 * `verifySeal` can rebuild a seal's CMS from the parts it reads and require the very bytes in the file.
 */
export const cmsSignedData = (parts: CmsParts): Buffer => {
  const [signerDer] = parts.chain;
  if (signerDer === undefined) throw new Error('A seal needs its signer certificate');
  const sha256Algorithm = sequence(oid(CMS_OID.sha256));
  const signatureAlgorithm =
    parts.keyType === 'rsa'
      ? sequence(oid(CMS_OID.rsaEncryption), new asn1js.Null())
      : sequence(oid(CMS_OID.ecdsaWithSha256));
  const signerInfo = sequence(
    new asn1js.Integer({ value: 1 }),
    issuerAndSerial(signerDer),
    sha256Algorithm,
    tagged0(...signedAttributes(parts.digest, signerDer)),
    signatureAlgorithm,
    octets(parts.signature),
  );
  const signedData = sequence(
    new asn1js.Integer({ value: 1 }),
    new asn1js.Set({ value: [sha256Algorithm] }),
    sequence(oid(CMS_OID.data)),
    tagged0(...parts.chain.map(encoded)),
    new asn1js.Set({ value: [signerInfo] }),
  );
  return Buffer.from(sequence(oid(CMS_OID.signedData), tagged0(signedData)).toBER(false));
};

export interface CmsSigningKey {
  readonly privateKey: KeyObject;
  readonly chain: readonly Uint8Array[];
}

/**
 * A detached CMS over `content` (the PDF's bytes outside the signature's gap) as PAdES baseline B-B asks (see
 * signedAttributes), with the signer's chain. Signed by node:crypto: PKCS#1 v1.5 for an RSA key, ECDSA with a
 * DER signature for an EC key, both over SHA-256.
 */
export const cmsDetachedSignature = (content: Uint8Array, key: CmsSigningKey): Buffer => {
  const [signerDer] = key.chain;
  if (signerDer === undefined) throw new Error('The sealing key has no certificate');
  const keyType = key.privateKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') throw new Error('The sealing key must be RSA or EC');
  const digest = sha256(content);
  const signature = sign('sha256', signedAttributesDer(digest, signerDer), key.privateKey);
  return cmsSignedData({ digest, signature, chain: key.chain, keyType });
};
