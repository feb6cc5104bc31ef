import { describe, expect, it } from 'vitest';
import { MAX_UPLOADED_DOCUMENT_BYTES } from '../../functions/core/document-limits.ts';
import { DomainError } from '../../functions/core/errors.ts';
import { isUlid } from '../../functions/core/ids.ts';
import { UPLOAD_URL_SECONDS, type Upload } from '../../functions/core/upload.ts';
import type { UploadTarget } from '../../functions/documents/document-store.ts';
import { createUpload, uploadUrlOf } from '../../functions/workflows/upload.ts';

const NOW = '2030-06-12T10:00:00.000Z';
const SHA = 'AB'.repeat(32);

const uploadStore = () => {
  const created: Upload[] = [];
  return { created, uploads: { create: (upload: Upload) => Promise.resolve(void created.push(upload)) } };
};

describe('createUpload', () => {
  it('records a new upload under a fresh ULID, its hash lower-cased, its URL and use deadlines from now', async () => {
    const { created, uploads } = uploadStore();
    const command = { appId: 'APP1', fileName: 'SOW.pdf', size: 1234, sha256: SHA };
    const upload = await createUpload({ uploads, clock: () => NOW }, command);
    expect(created).toEqual([upload]);
    expect(isUlid(upload.documentId)).toBe(true);
    expect(upload).toMatchObject({ appId: 'APP1', fileName: 'SOW.pdf', size: 1234, sha256: SHA.toLowerCase() });
    expect(Date.parse(upload.expiresAt) - Date.parse(NOW)).toBe(UPLOAD_URL_SECONDS * 1000);
    expect(Date.parse(upload.useBy)).toBeGreaterThan(Date.parse(upload.expiresAt));
    expect(upload.usedBy).toBeUndefined();
    const second = await createUpload({ uploads, clock: () => NOW }, command);
    expect(second.documentId).not.toBe(upload.documentId);
  });

  it('refuses a declared size over 25 MiB before writing anything (400 DOCUMENT_TOO_LARGE on size); the limit itself passes', async () => {
    const { created, uploads } = uploadStore();
    const over = createUpload(
      { uploads },
      { appId: 'A', fileName: 'x.pdf', size: MAX_UPLOADED_DOCUMENT_BYTES + 1, sha256: SHA },
    );
    const error: unknown = await over.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'bad-request', code: 'DOCUMENT_TOO_LARGE' });
    expect((error as DomainError).rules[0]).toMatchObject({ Field: 'size' });
    expect(created).toEqual([]);
    await createUpload({ uploads }, { appId: 'A', fileName: 'x.pdf', size: MAX_UPLOADED_DOCUMENT_BYTES, sha256: SHA });
    expect(created).toHaveLength(1);
  });
});

describe('uploadUrlOf', () => {
  it('presigns the app-scoped key for exactly the size, signed at its creation so it expires at expiresAt', async () => {
    const targets: UploadTarget[] = [];
    const documents = {
      presignUpload: (target: UploadTarget) => Promise.resolve(void targets.push(target)).then(() => 'url'),
    };
    const expiresAt = '2030-06-12T10:15:00.000Z';
    expect(await uploadUrlOf(documents, { appId: 'APP1', documentId: 'DOC1', size: 77, expiresAt })).toBe('url');
    expect(targets).toEqual([
      {
        key: 'uploads/APP1/DOC1.pdf',
        size: 77,
        signedAt: new Date(Date.parse(expiresAt) - UPLOAD_URL_SECONDS * 1000),
        expiresInSeconds: UPLOAD_URL_SECONDS,
      },
    ]);
  });
});
