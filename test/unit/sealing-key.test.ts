import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateLocalSealingKey } from '../../functions/documents/local-sealing-key.ts';
import { loadSealingKey, type SealingKeyPem } from '../../functions/documents/sealing-key.ts';

let pem: SealingKeyPem;
let other: SealingKeyPem;
// A loaded machine running every test project at once may take a while to start the crypto engine.
beforeAll(async () => {
  [pem, other] = await Promise.all([generateLocalSealingKey('esign-recall'), generateLocalSealingKey('esign-recall')]);
}, 60_000);

/** The base64 body of a PEM key, line by line: what must never show up in a log line or an error. */
const keyLines = (privateKeyPem: string) =>
  privateKeyPem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));

describe('loadSealingKey', () => {
  it('loads a local key whose certificate is its own, self-signed', () => {
    const key = loadSealingKey(pem);
    expect(key.privateKey.asymmetricKeyType).toBe('ec');
    expect(key.certificate.subject).toBe('CN=esign-recall local evidence seal');
    expect(key.certificate.issuer).toBe(key.certificate.subject);
    expect(key.chain).toEqual([key.certificate.raw]);
  });

  it('shows no byte of the private key when inspected or serialised', () => {
    const key = loadSealingKey(pem);
    const shown = `${inspect(key, { depth: 10 })}${JSON.stringify(key)}`;
    for (const line of keyLines(pem.privateKeyPem)) expect(shown).not.toContain(line);
  });

  it('refuses a certificate of another key, a key that is not PEM, and a text with no certificate, naming neither', () => {
    const attempts: SealingKeyPem[] = [
      { privateKeyPem: pem.privateKeyPem, certificatePem: other.certificatePem },
      { privateKeyPem: pem.privateKeyPem.replace('PRIVATE KEY', 'SECRET'), certificatePem: pem.certificatePem },
      { privateKeyPem: pem.privateKeyPem, certificatePem: 'no certificate here' },
    ];
    const messages = attempts.map((attempt) => {
      try {
        loadSealingKey(attempt);
        return 'loaded';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(messages).toEqual([
      "The sealing certificate's public key does not match the sealing key",
      'The sealing key is not a PEM private key',
      'The sealing certificate PEM holds no certificate',
    ]);
    for (const message of messages) for (const line of keyLines(pem.privateKeyPem)) expect(message).not.toContain(line);
  });
});
