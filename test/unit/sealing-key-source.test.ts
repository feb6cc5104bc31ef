import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateLocalSealingKey } from '../../functions/documents/local-sealing-key.ts';
import type { SealingKeyPem } from '../../functions/documents/sealing-key.ts';
import { TransportRefusal } from '../../functions/http/refusals.ts';
import { sealingKeySource } from '../../functions/wiring/sealing-key.ts';
import { recordingLogger } from '../support/recording-logger.ts';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:sealing';
let current: SealingKeyPem;
let previous: SealingKeyPem;
beforeAll(async () => {
  [current, previous] = await Promise.all([generateLocalSealingKey('unit'), generateLocalSealingKey('unit')]);
});

/** A secret whose value the test sets, counting its reads; and a clock the test moves. */
const fixture = (value: unknown) => {
  const secret = { value, reads: 0 };
  const clock = { now: 1_000_000 };
  const { logger, lines } = recordingLogger();
  const source = sealingKeySource(
    { SEALING_KEY_SECRET_ARN: ARN },
    logger,
    (arn) => {
      expect(arn).toBe(ARN);
      secret.reads++;
      return Promise.resolve(secret.value);
    },
    () => clock.now,
  );
  return { source, secret, clock, lines };
};

const refusalCode = async (attempt: Promise<unknown>) => {
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TransportRefusal);
  return (error as TransportRefusal).code;
};

describe('the sealing key source', () => {
  it('reads the secret once, at first use, and keeps the key', async () => {
    const { source, secret } = fixture(JSON.stringify(current));
    expect(secret.reads).toBe(0);
    const [a, b] = await Promise.all([source(), source()]);
    await source();
    expect(secret.reads).toBe(1);
    expect(a).toBe(b);
    expect(a.trusted).toEqual([a.certificate]);
  });

  it('refuses with 503 SEALING_UNAVAILABLE while the placeholder is in place, looks again after 30 s, then works', async () => {
    const { source, secret, clock, lines } = fixture(JSON.stringify({ privateKeyPem: 'REPLACE', certificatePem: 'X' }));
    expect(await refusalCode(source())).toBe('SEALING_UNAVAILABLE');
    clock.now += 29_999;
    expect(await refusalCode(source())).toBe('SEALING_UNAVAILABLE');
    expect(secret.reads).toBe(1);
    const errors = lines.filter((line) => line.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.attributes).toMatchObject({ reason: 'The sealing key is not a PEM private key' });
    secret.value = JSON.stringify(current);
    clock.now += 1;
    await expect(source()).resolves.toHaveProperty('certificate');
    expect(secret.reads).toBe(2);
  });

  it('says what is wrong with a secret that is not the PEM JSON, quoting none of it', async () => {
    const { source, lines } = fixture(`not json ${current.privateKeyPem}`);
    expect(await refusalCode(source())).toBe('SEALING_UNAVAILABLE');
    const logged = JSON.stringify(lines);
    expect(logged).toContain('is not JSON');
    expect(logged).not.toContain(current.privateKeyPem.split('\n')[1]);
  });

  it('refuses when no setting names a key at all', async () => {
    const { logger, lines } = recordingLogger();
    expect(await refusalCode(sealingKeySource({}, logger)())).toBe('SEALING_UNAVAILABLE');
    expect(JSON.stringify(lines)).toContain('set SEALING_KEY_PEM (local) or SEALING_KEY_SECRET_ARN (AWS)');
  });

  it('trusts the certificates of replaced keys after its own, so files sealed before a rotation still verify', async () => {
    const { source } = fixture(JSON.stringify({ ...current, previousCertificatesPem: previous.certificatePem }));
    const key = await source();
    expect(key.trusted.map((certificate) => certificate.fingerprint256)).toEqual([
      key.certificate.fingerprint256,
      new X509Certificate(previous.certificatePem).fingerprint256,
    ]);
  });
});
