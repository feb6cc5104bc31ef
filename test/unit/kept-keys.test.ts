import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSealingKey } from '../../functions/documents/sealing-key.ts';
import { parseSealingKeyPem } from '../../functions/wiring/sealing-key.ts';
import {
  KEPT_KEY_FILES,
  KEPT_SEALING_KEY_FILE,
  keptSealingKey,
  keptSigningKey,
  readKeptKey,
} from '../../infra/local/kept-keys.ts';

const dirs: string[] = [];
const dataDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'kept-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the signing keys npm start keeps under DATA_DIR', () => {
  it('generates two different keys once, keeps them private, and finds the same ones again', async () => {
    const dir = await dataDir();
    const link = await keptSigningKey(dir, 'link');
    const webhook = await keptSigningKey(dir, 'webhook');
    expect(Buffer.from(link, 'base64url').byteLength).toBe(32);
    expect(webhook).not.toBe(link);
    expect(await keptSigningKey(dir, 'link')).toBe(link);
    expect(await readKeptKey(dir, 'webhook')).toBe(webhook);
    expect((await stat(path.join(dir, KEPT_KEY_FILES.webhook))).mode & 0o777).toBe(0o600);
  });
});

describe('the sealing key npm start keeps under DATA_DIR', () => {
  it('is generated once as a loadable key and certificate, kept private, and found again', async () => {
    const dir = await dataDir();
    const first = await keptSealingKey(dir);
    const key = loadSealingKey(parseSealingKeyPem(first, 'the kept file'));
    expect(key.certificate.subject).toContain('esign-recall local evidence seal');
    expect(await keptSealingKey(dir)).toBe(first);
    expect(await keptSealingKey(await dataDir())).not.toBe(first);
    expect((await stat(path.join(dir, KEPT_SEALING_KEY_FILE))).mode & 0o777).toBe(0o600);
  });
});
