import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEPT_KEY_FILES, keptSigningKey, readKeptKey } from '../../infra/local/kept-keys.ts';

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
