import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateLocalSealingKey } from '../../functions/documents/local-sealing-key.ts';
import type { SigningKeyKind } from '../../functions/signing-key.ts';
import { SEALING_SERVICE_NAME } from '../../functions/sealing-key-settings.ts';

/** The files under DATA_DIR where `npm start` keeps each signing key, and where `npm run app` finds them. */
export const KEPT_KEY_FILES: Record<SigningKeyKind, string> = {
  link: 'link-signing-key',
  webhook: 'webhook-signing-key',
  cursor: 'list-cursor-key',
  pass: 'signer-pass-key',
};

/** A key kept under `dataDir`, if `npm start` has kept one there. */
export const readKeptKey = async (dataDir: string, kind: SigningKeyKind): Promise<string | undefined> => {
  const kept = await readFile(path.join(dataDir, KEPT_KEY_FILES[kind]), 'utf8').catch(() => undefined);
  return kept?.trim() || undefined;
};

/** A value generated once and kept under `dataDir` (readable by this user only). */
export const keptUnderDataDir = async (dataDir: string, fileName: string, generated: string): Promise<string> => {
  const file = path.join(dataDir, fileName);
  const kept = await readFile(file, 'utf8').catch(() => undefined);
  if (kept?.trim()) return kept.trim();
  await writeFile(file, generated, { mode: 0o600 });
  return generated;
};

/** The key of `kind` kept under `dataDir`, generated on first use. */
export const keptSigningKey = (dataDir: string, kind: SigningKeyKind): Promise<string> =>
  keptUnderDataDir(dataDir, KEPT_KEY_FILES[kind], randomBytes(32).toString('base64url'));

/** The file under DATA_DIR where `npm start` keeps its sealing key and self-signed certificate (PEM JSON). */
export const KEPT_SEALING_KEY_FILE = 'sealing-key.json';

/** A new local sealing key, as the PEM JSON SEALING_KEY_PEM holds. */
export const newLocalSealingKey = async (): Promise<string> =>
  JSON.stringify(await generateLocalSealingKey(SEALING_SERVICE_NAME));

/**
 * The sealing key kept under `dataDir`, generated on first use: a certificate sealed by one run verifies in the
 * next. A key is generated on every start and dropped when one is kept: a P-256 key takes milliseconds.
 */
export const keptSealingKey = async (dataDir: string): Promise<string> =>
  keptUnderDataDir(dataDir, KEPT_SEALING_KEY_FILE, await newLocalSealingKey());
