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

/** Where earlier versions kept their one key, for both purposes. */
const RETIRED_KEY_FILE = 'signing-key';

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

/**
 * The key of `kind` kept under `dataDir`, generated on first use. A data directory of an earlier version keeps
 * one key for both purposes: it becomes the webhook key, so the webhook secrets printed before stay valid (a
 * new link key costs nothing: links are checked against their stored hashes).
 */
export const keptSigningKey = async (dataDir: string, kind: SigningKeyKind): Promise<string> => {
  const retired =
    kind === 'webhook'
      ? (await readFile(path.join(dataDir, RETIRED_KEY_FILE), 'utf8').catch(() => undefined))?.trim()
      : undefined;
  return keptUnderDataDir(dataDir, KEPT_KEY_FILES[kind], retired || randomBytes(32).toString('base64url'));
};
