import { X509Certificate } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { loadSealingKey, type SealingKey, type SealingKeyPem } from '../documents/sealing-key.ts';
import { transportRefusals } from '../http/refusals.ts';
import { SealingKeySettings } from '../sealing-key-settings.ts';
import type { ReadSecret } from '../signing-key.ts';
import type { Environment } from '../runtime/environment.ts';
import { secretsManagerReader } from './signing-keys.ts';

/** After a failed load, the key is not looked for again this long: a public verify route must not hammer the secret. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * The key pair as kept, and the certificates of keys it replaced (`previousCertificatesPem`, optional): files
 * sealed before a rotation still verify.
 */
interface KeptSealingKey extends SealingKeyPem {
  readonly previousCertificatesPem?: string;
}

/** The sealing key, and every certificate verify trusts: its own first, then those of the keys it replaced. */
interface LoadedSealingKey extends SealingKey {
  readonly trusted: readonly X509Certificate[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The PEM pair out of a secret's or a setting's text; the message names the source, never a byte of its value. */
export const parseSealingKeyPem = (value: unknown, source: string): KeptSealingKey => {
  if (typeof value !== 'string') throw new Error(`${source} holds no text`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`${source} is not JSON: it must be {"privateKeyPem": "...", "certificatePem": "..."}`);
  }
  const { privateKeyPem, certificatePem, previousCertificatesPem } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof privateKeyPem !== 'string' || typeof certificatePem !== 'string')
    throw new Error(`${source} must hold the strings privateKeyPem and certificatePem`);
  if (previousCertificatesPem !== undefined && typeof previousCertificatesPem !== 'string')
    throw new Error(`${source}: previousCertificatesPem, when given, must be a string of PEM certificates`);
  return { privateKeyPem, certificatePem, ...(previousCertificatesPem ? { previousCertificatesPem } : {}) };
};

const loaded = (kept: KeptSealingKey): LoadedSealingKey => {
  const key = loadSealingKey(kept);
  let previous: X509Certificate[];
  try {
    previous = (kept.previousCertificatesPem?.match(PEM_CERTIFICATE) ?? []).map((pem) => new X509Certificate(pem));
  } catch {
    throw new Error('previousCertificatesPem holds a certificate that cannot be read');
  }
  return { ...key, trusted: [key.certificate, ...previous] };
};

const readSealingKey = async (env: Environment, readSecret: ReadSecret): Promise<LoadedSealingKey> => {
  const given = env[SealingKeySettings.pem];
  if (given) return loaded(parseSealingKeyPem(given, SealingKeySettings.pem));
  const secretArn = env[SealingKeySettings.secretArn];
  if (!secretArn)
    throw new Error(
      `no sealing key is configured: set ${SealingKeySettings.pem} (local) or ${SealingKeySettings.secretArn} (AWS)`,
    );
  const source = `the secret ${SealingKeySettings.secretArn} names`;
  return loaded(parseSealingKeyPem(await readSecret(secretArn), source));
};

/** The sealing key, loaded on first use and kept; refused (503) while none valid is in place. */
export type SealingKeySource = () => Promise<LoadedSealingKey>;

/**
 * Loads the sealing key on the first call that needs it (never at a container's start: only the certificate and
 * verify functions build one) and keeps it for the container's life. While no valid key is in place (the stack's
 * placeholder not yet replaced, a PEM that does not parse, a certificate that is not the key's) each call is
 * refused with 503 SEALING_UNAVAILABLE, and one error line tells the operator what is wrong, at most every 30 s.
 */
export const sealingKeySource = (
  env: Environment,
  logger: Logger,
  readSecret: ReadSecret = secretsManagerReader(),
  now: () => number = Date.now,
): SealingKeySource => {
  let key: Promise<LoadedSealingKey> | undefined;
  let failedAt = -Infinity;
  return async () => {
    if (!key && now() - failedAt < RETRY_AFTER_FAILURE_MS) throw transportRefusals.sealingUnavailable();
    key ??= readSealingKey(env, readSecret);
    try {
      return await key;
    } catch (error) {
      key = undefined;
      failedAt = now();
      logger.error(
        'sealing key unavailable: certificates and verify answer 503, signed documents wait, until it is fixed',
        {
          reason: error instanceof Error ? error.message : String(error),
          help: 'docs/deploy-and-operate.md#the-sealing-key',
        },
      );
      throw transportRefusals.sealingUnavailable();
    }
  };
};
