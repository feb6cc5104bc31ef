import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SigningKeyKind } from '../../functions/signing-key.ts';

/** The files under DATA_DIR where `npm start` keeps each signing key, and where `npm run app` finds them. */
export const KEPT_KEY_FILES: Record<SigningKeyKind, string> = {
  link: 'link-signing-key',
  webhook: 'webhook-signing-key',
  cursor: 'list-cursor-key',
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
