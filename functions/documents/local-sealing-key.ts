import { randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { SealingKeyPem } from './sealing-key.ts';

const YEARS_VALID = 10;
const OID = {
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

/** keyUsage bits (RFC 5280 4.2.1.3, bit 0 first): digitalSignature and nonRepudiation (contentCommitment). */
const DIGITAL_SIGNATURE_AND_NON_REPUDIATION = 0b1100_0000;

const pem = (label: string, der: ArrayBuffer): string =>
  `-----BEGIN ${label}-----\n${(
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n')}\n-----END ${label}-----\n`;

/** A name of one RDN, the common name (pkijs would put several attributes into one multi-valued RDN). */
const name = (commonName: string): pkijs.RelativeDistinguishedNames =>
  new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: commonName }) }),
    ],
  });

/**
 * A new ECDSA P-256 key and a self-signed certificate for it, for a local run (`npm start` keeps one per data
 * directory). P-256 because it is quick to make and small in every seal, and poppler, Acrobat and pkijs all
 * verify it. Self-signed means a reader can check that the file is intact and which key sealed it, but shows the
 * signer as unknown: in AWS the operator provides a certificate from a trusted CA instead.
 */
export const generateLocalSealingKey = async (serviceName: string, now: Date = new Date()): Promise<SealingKeyPem> => {
  const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const certificate = new pkijs.Certificate();
  certificate.version = 2;
  // A positive 127-bit serial: unique enough for a self-signed certificate, and never a negative INTEGER.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject = name(`${serviceName} local evidence seal`);
  certificate.issuer = name(`${serviceName} local evidence seal`);
  certificate.notBefore.value = now;
  certificate.notAfter.value = new Date(
    Date.UTC(now.getUTCFullYear() + YEARS_VALID, now.getUTCMonth(), now.getUTCDate()),
  );
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
  const keyId = await webcrypto.subtle.digest(
    'SHA-1',
    certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView,
  );
  certificate.extensions = [
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.keyUsage,
      critical: true,
      extnValue: new asn1js.BitString({
        valueHex: new Uint8Array([DIGITAL_SIGNATURE_AND_NON_REPUDIATION]),
        unusedBits: 6,
      }).toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      extnValue: new asn1js.OctetString({ valueHex: keyId }).toBER(false),
    }),
  ];
  await certificate.sign(keys.privateKey, 'SHA-256');
  const privateKey = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    privateKeyPem: pem('PRIVATE KEY', privateKey),
    certificatePem: pem('CERTIFICATE', certificate.toSchema(true).toBER(false)),
  };
};
