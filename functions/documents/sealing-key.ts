import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

/**
 * The key and certificate chain the service seals its evidence PDFs with, as they are kept: PEM text. Locally
 * `generateLocalSealingKey` makes one per data directory; in AWS the operator provides them (a key and a
 * certificate from a CA, ideally on Adobe's AATL so readers show the seal as trusted: docs/design.md, "Sealed
 * evidence").
 */
export interface SealingKeyPem {
  /** The private key: PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 RSA or SEC1 EC; RSA or ECDSA P-256/384/521. */
  readonly privateKeyPem: string;
  /** The sealing certificate first, then any intermediates up to (not necessarily including) the root. */
  readonly certificatePem: string;
}

/**
 * A sealing key ready to sign with. The private key stays a KeyObject: inspecting or logging it shows its type,
 * never its material.
 */
export interface SealingKey {
  readonly privateKey: KeyObject;
  /** The signer's certificate; its public key matches `privateKey`. */
  readonly certificate: X509Certificate;
  /** The certificates the seal carries (the signer's first), DER. */
  readonly chain: readonly Buffer[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text, in order. */
const certificatesInPem = (pem: string): X509Certificate[] =>
  (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new X509Certificate(block));

/**
 * Reads a sealing key from its PEM form and checks that the first certificate is the key's own. The errors say
 * what is wrong, never a byte of the key.
 */
export const loadSealingKey = (pem: SealingKeyPem): SealingKey => {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem.privateKeyPem);
  } catch {
    throw new Error('The sealing key is not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'rsa' && privateKey.asymmetricKeyType !== 'ec')
    throw new Error(`The sealing key must be RSA or ECDSA, not ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  let certificates: X509Certificate[];
  try {
    certificates = certificatesInPem(pem.certificatePem);
  } catch {
    throw new Error('The sealing certificate is not a PEM certificate');
  }
  const [certificate] = certificates;
  if (certificate === undefined) throw new Error('The sealing certificate PEM holds no certificate');
  if (!certificate.checkPrivateKey(privateKey))
    throw new Error("The sealing certificate's public key does not match the sealing key");
  return { privateKey, certificate, chain: certificates.map((c) => c.raw) };
};
