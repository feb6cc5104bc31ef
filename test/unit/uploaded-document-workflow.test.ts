import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import { MAX_UPLOADED_DOCUMENT_BYTES } from '../../functions/core/document-limits.ts';
import { ABANDONED_CLAIM_MS, type Upload } from '../../functions/core/upload.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import type { DocumentCheck } from '../../functions/documents/document-check.ts';
import type { BoundedRead } from '../../functions/documents/document-store.ts';
import { checkUploadedDocument } from '../../functions/workflows/uploaded-document.ts';

const NOW = '2030-05-05T18:00:00.000Z';
const BYTES = new TextEncoder().encode('%PDF-1.7 the declared bytes');
const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const upload = (changes: Partial<Upload> = {}): Upload => ({
  appId: 'APP1',
  documentId: '01HV6MD1X7Y8Z9A0B1C2D3E4F5',
  fileName: 'Big.pdf',
  size: BYTES.byteLength,
  sha256: hex(BYTES),
  createdAt: '2030-05-05T12:00:00.000Z',
  expiresAt: '2030-05-05T12:15:00.000Z',
  useBy: '2030-05-06T12:00:00.000Z',
  ...changes,
});

/**
 * An upload store holding `held` (for its own app only), a bucket answering `read`, a checker answering `check`,
 * and requests that exist (`existing` ids).
 */
const fakes = (held: Upload | undefined, read: BoundedRead, check?: DocumentCheck, existing: string[] = []) => {
  const calls: string[] = [];
  const deps = {
    signRequests: {
      get: (id: string) => {
        calls.push(`request ${id}`);
        return Promise.resolve(existing.includes(id) ? ({ id } as SignRequest) : undefined);
      },
    },
    uploads: {
      get: (appId: string, documentId: string) => {
        calls.push('get');
        return Promise.resolve(held && held.appId === appId && held.documentId === documentId ? held : undefined);
      },
      use: () => Promise.reject(new Error('the check claims nothing')),
    },
    documents: {
      readAtMost: (_key: string, maxBytes: number) => {
        calls.push(`read ${maxBytes}`);
        return Promise.resolve(read);
      },
    },
    inspectDocument: (bytes: Uint8Array, maxBytes: number): Promise<DocumentCheck> => {
      calls.push(`inspect ${maxBytes}`);
      return Promise.resolve(check ?? { ok: true, sha256: hex(bytes), size: bytes.byteLength, pages: 4 });
    },
  };
  return { deps, calls };
};

const codeOf = async (promise: Promise<unknown>) => {
  const error: unknown = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return error instanceof DomainError ? `${error.kind} ${error.code}` : `not refused: ${String(error)}`;
};

const checks = { appId: 'APP1', documentId: '01HV6MD1X7Y8Z9A0B1C2D3E4F5', now: NOW, keyed: false };
const readOk: BoundedRead = { state: 'read', bytes: BYTES };

describe('an upload claimed by a request that never came to be', () => {
  const ABANDONER = '01HV6MD1X7Y8Z9A0B1C2D3E4F9';
  const claimedAt = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();

  it('is free to take over once the claim is older than any initiate runs and its request does not exist', async () => {
    const { deps, calls } = fakes(upload({ usedBy: ABANDONER, usedAt: claimedAt(ABANDONED_CLAIM_MS + 1) }), readOk);
    const checked = await checkUploadedDocument(deps, checks);
    expect(checked.abandonedClaim).toBe(ABANDONER);
    expect(checked.upload.usedBy).toBeUndefined();
    expect(calls).toContain(`request ${ABANDONER}`);
  });

  it('stays held while it may still be a creation in flight, or when its request exists: 409, no look at requests for the former', async () => {
    const young = fakes(upload({ usedBy: ABANDONER, usedAt: claimedAt(ABANDONED_CLAIM_MS - 1_000) }), readOk);
    expect(await codeOf(checkUploadedDocument(young.deps, checks))).toBe('conflict DOCUMENT_ALREADY_USED');
    expect(young.calls).not.toContain(`request ${ABANDONER}`);
    const old = upload({ usedBy: ABANDONER, usedAt: claimedAt(ABANDONED_CLAIM_MS + 1) });
    const held = fakes(old, readOk, undefined, [ABANDONER]);
    expect(await codeOf(checkUploadedDocument(held.deps, checks))).toBe('conflict DOCUMENT_ALREADY_USED');
  });
});

describe('the checks of an uploaded document', () => {
  it('answers the bytes read, the hash it computed, and the reader’s pages; reads at most the declared size', async () => {
    const { deps, calls } = fakes(upload(), readOk);
    const checked = await checkUploadedDocument(deps, checks);
    expect(checked).toMatchObject({ name: 'Big.pdf', sha256: hex(BYTES), size: BYTES.byteLength, pages: 4 });
    expect(checked.bytes).toBe(BYTES);
    expect(calls).toEqual(['get', `read ${BYTES.byteLength}`, `inspect ${MAX_UPLOADED_DOCUMENT_BYTES}`]);
  });

  it('refuses another app’s upload as an unknown one, and reads nothing', async () => {
    const { deps, calls } = fakes(upload({ appId: 'APP2' }), readOk);
    expect(await codeOf(checkUploadedDocument(deps, checks))).toBe('bad-request DOCUMENT_NOT_FOUND');
    expect(calls).toEqual(['get']);
  });

  it('refuses a used upload before reading it, unless the call is keyed (its own earlier attempt may have used it)', async () => {
    const used = upload({ usedBy: '01HV6MEARQD3X8ZXXX5FR3YDB8', useBy: '2030-05-01T00:00:00.000Z' });
    const unkeyed = fakes(used, readOk);
    expect(await codeOf(checkUploadedDocument(unkeyed.deps, checks))).toBe('conflict DOCUMENT_ALREADY_USED');
    expect(unkeyed.calls).toEqual(['get']);
    // Keyed: past its use-by time too, for it is used (by this request, perhaps): the caller compares usedBy.
    const keyed = fakes(used, readOk);
    expect((await checkUploadedDocument(keyed.deps, { ...checks, keyed: true })).upload.usedBy).toBe(used.usedBy);
  });

  it('refuses an unused upload past its use-by time, and reads nothing', async () => {
    const { deps, calls } = fakes(upload({ useBy: '2030-05-05T17:59:59.999Z' }), readOk);
    expect(await codeOf(checkUploadedDocument(deps, checks))).toBe('bad-request DOCUMENT_UPLOAD_EXPIRED');
    expect(calls).toEqual(['get']);
    const inTime = fakes(upload({ useBy: NOW }), readOk);
    await expect(checkUploadedDocument(inTime.deps, checks)).resolves.toMatchObject({ pages: 4 });
  });

  const refusedBytes: [string, BoundedRead, string][] = [
    ['nothing uploaded', { state: 'missing' }, 'DOCUMENT_NOT_UPLOADED'],
    ['more bytes than declared', { state: 'too-large', size: BYTES.byteLength + 1 }, 'DOCUMENT_TOO_LARGE'],
    ['fewer bytes than declared', { state: 'read', bytes: BYTES.subarray(1) }, 'DOCUMENT_HASH_MISMATCH'],
    [
      'the declared size, another hash',
      { state: 'read', bytes: new TextEncoder().encode('%PDF-1.7 the declared bytez') },
      'DOCUMENT_HASH_MISMATCH',
    ],
  ];
  it.each(refusedBytes)('refuses %s (%s) without reading it as a PDF', async (_, read, code) => {
    const { deps, calls } = fakes(upload(), read);
    expect(await codeOf(checkUploadedDocument(deps, checks))).toBe(`bad-request ${code}`);
    expect(calls.some((call) => call.startsWith('inspect'))).toBe(false);
  });

  it('takes a declared hash in upper case as the same hash', async () => {
    const { deps } = fakes(upload({ sha256: hex(BYTES).toUpperCase() }), readOk);
    await expect(checkUploadedDocument(deps, checks)).resolves.toMatchObject({ sha256: hex(BYTES) });
  });

  it('refuses what the reader refuses, with its code and reason, on documentId', async () => {
    const { deps } = fakes(upload(), readOk, { ok: false, code: 'DOCUMENT_INVALID', reason: 'The PDF is encrypted.' });
    const refusal: unknown = await checkUploadedDocument(deps, checks).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).rules).toEqual([
      { Code: 'DOCUMENT_INVALID', Message: 'The PDF is encrypted.', Field: 'documentId' },
    ]);
  });
});
