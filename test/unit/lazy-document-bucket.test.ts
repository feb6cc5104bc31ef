import { describe, expect, it } from 'vitest';
import type { DocumentBucket } from '../../functions/documents/document-bucket.ts';
import { LazyDocumentBucket } from '../../functions/wiring/documents.ts';

/** A bucket in memory: what the S3 documents module would build, without S3. */
const memoryBucket = (): DocumentBucket => {
  const objects = new Map<string, Uint8Array>();
  return {
    putPending: (key, bytes) => {
      objects.set(key, bytes);
      return Promise.resolve();
    },
    keep: () => Promise.resolve(),
    read: (key) => Promise.resolve(objects.get(key)),
    readAtMost: (key, maxBytes) => {
      const bytes = objects.get(key);
      if (!bytes) return Promise.resolve({ state: 'missing' as const });
      return Promise.resolve(
        bytes.byteLength > maxBytes
          ? { state: 'too-large' as const, size: bytes.byteLength }
          : { state: 'read' as const, bytes },
      );
    },
    presignUpload: ({ key }) => Promise.resolve(`memory://${key}?put`),
    presignDownload: (key) => Promise.resolve(`memory://${key}`),
  };
};

describe('LazyDocumentBucket', () => {
  it('loads the bucket once, on the first call, however many calls race for it', async () => {
    let loads = 0;
    const bucket = new LazyDocumentBucket(() => {
      loads += 1;
      return Promise.resolve(memoryBucket());
    });
    expect(loads).toBe(0);
    const bytes = new Uint8Array([37, 80, 68, 70]);
    await Promise.all([bucket.putPending('a', bytes, 'x'), bucket.read('b'), bucket.keep('a')]);
    expect(await bucket.read('a')).toEqual(bytes);
    expect(loads).toBe(1);
  });

  it('does not keep a failed load: the call fails, the next call loads again and succeeds', async () => {
    let loads = 0;
    const bucket = new LazyDocumentBucket(() => {
      loads += 1;
      return loads === 1 ? Promise.reject(new Error('module not found')) : Promise.resolve(memoryBucket());
    });
    await expect(bucket.read('a')).rejects.toThrow('module not found');
    expect(await bucket.read('a')).toBeUndefined();
    expect(loads).toBe(2);
  });
});
