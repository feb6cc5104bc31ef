import { describe, expect, it } from 'vitest';
import { DomainError, SIGNED_DOCUMENT_RETRY_SECONDS } from '../../functions/core/errors.ts';
import { signedDocumentFileName } from '../../functions/documents/document-keys.ts';
import type { SignRequest, StoredDocument } from '../../functions/core/sign-request.ts';
import { signerDocumentOf } from '../../functions/core/signer-document.ts';
import { openSignerDocument } from '../../functions/workflows/signer-document.ts';
import { MAX_ANSWERED_PDF_BYTES } from '../../functions/workflows/stored-pdf.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-10T10:00:00.000Z';
const LATER = '2031-01-01T00:00:00.000Z';

const original: StoredDocument = {
  name: 'MSA.pdf',
  sha256: 'a'.repeat(64),
  size: 1234,
  pages: 3,
  key: 'documents/APP1/X/original.pdf',
};
const signed = { sha256: 'b'.repeat(64), size: 4321, key: 'documents/APP1/X/signed.pdf', madeAt: NOW };

const refusalOf = (decide: () => unknown): { code: string; kind: string; retryAfter?: number | undefined } => {
  try {
    decide();
  } catch (error) {
    if (error instanceof DomainError)
      return { code: error.code, kind: error.kind, retryAfter: error.retryAfterSeconds };
    throw error;
  }
  throw new Error('not refused');
};

describe('signerDocumentOf: what a signer’s document link serves', () => {
  it('serves an open request’s original, whether or not the signer has signed', () => {
    const { request, tokens } = freshRequest(2, { document: original });
    const expected = {
      kind: 'original',
      key: original.key,
      fileName: 'MSA.pdf',
      sha256: original.sha256,
      size: original.size,
    };
    expect(signerDocumentOf(request, tokens[0]!, NOW)).toEqual(expected);
    const partly: SignRequest = {
      ...request,
      status: 'PARTIALLY_SIGNED',
      signedCount: 1,
      signers: {
        ...request.signers,
        [tokens[0]!.signerId]: { ...request.signers[tokens[0]!.signerId]!, status: 'SIGNED' },
      },
    };
    expect(signerDocumentOf(partly, tokens[0]!, NOW)).toEqual(expected);
    expect(signerDocumentOf(partly, tokens[1]!, NOW)).toEqual(expected);
  });

  it('refuses a token that opens nothing as the link does, before anything about the request', () => {
    const { request, tokens } = freshRequest(1, { status: 'CANCELLED', document: original });
    const forged = { ...tokens[0]!, secret: 'A'.repeat(43) };
    expect(refusalOf(() => signerDocumentOf(request, forged, NOW))).toMatchObject({ code: 'SIGNING_LINK_NOT_FOUND' });
    expect(refusalOf(() => signerDocumentOf(undefined, tokens[0]!, NOW))).toMatchObject({
      code: 'SIGNING_LINK_NOT_FOUND',
    });
  });

  it('refuses a recalled, declined or expired request with the link’s 410', () => {
    const at = '2030-06-01T00:00:00.000Z';
    const cases: [Partial<SignRequest>, string][] = [
      [{ status: 'CANCELLED', recall: { reason: 'r', by: 'b', at, callId: 'c' } }, 'SIGN_REQUEST_CANCELLED'],
      [{ status: 'EXPIRED' }, 'SIGN_REQUEST_EXPIRED'],
      [{ expiresAt: '2030-06-10T09:59:59.999Z' }, 'SIGN_REQUEST_EXPIRED'],
    ];
    for (const [overrides, code] of cases) {
      const { request, tokens } = freshRequest(2, { document: original, ...overrides });
      expect(refusalOf(() => signerDocumentOf(request, tokens[0]!, NOW))).toEqual({
        code,
        kind: 'gone',
        retryAfter: undefined,
      });
    }
    const { request, tokens } = freshRequest(2, { document: original });
    const declined: SignRequest = {
      ...request,
      status: 'DECLINED',
      decline: { signerId: tokens[1]!.signerId, reason: 'no', at, callId: 'c' },
    };
    expect(refusalOf(() => signerDocumentOf(declined, tokens[0]!, NOW))).toMatchObject({
      code: 'SIGN_REQUEST_DECLINED',
      kind: 'gone',
    });
  });

  it('is DOCUMENT_NOT_FOUND for an open request without a document', () => {
    const { request, tokens } = freshRequest(1);
    expect(refusalOf(() => signerDocumentOf(request, tokens[0]!, NOW))).toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
      kind: 'not-found',
    });
  });

  it('serves a completed request’s signed document once recorded, else asks to retry; never expired', () => {
    for (const document of [original, undefined]) {
      const base = { status: 'COMPLETED' as const, signedCount: 1, expiresAt: NOW, ...(document ? { document } : {}) };
      const { request, tokens } = freshRequest(1, base);
      expect(refusalOf(() => signerDocumentOf(request, tokens[0]!, LATER))).toEqual({
        code: 'SIGNED_DOCUMENT_NOT_READY',
        kind: 'conflict',
        retryAfter: SIGNED_DOCUMENT_RETRY_SECONDS,
      });
      expect(signerDocumentOf({ ...request, signedDocument: signed }, tokens[0]!, LATER)).toEqual({
        kind: 'signed',
        key: signed.key,
        fileName: signedDocumentFileName(request.documentName),
        sha256: signed.sha256,
        size: signed.size,
      });
    }
    expect(signedDocumentFileName('Lease.PDF')).toBe('Lease-signed.pdf');
    expect(signedDocumentFileName('Lease')).toBe('Lease-signed.pdf');
  });
});

describe('openSignerDocument', () => {
  const setup = (overrides: Partial<SignRequest>, objects: Record<string, Uint8Array>) => {
    const { request, tokens } = freshRequest(1, overrides);
    const reads: string[] = [];
    const deps = {
      signRequests: {
        get: (id: string) => Promise.resolve(id === request.id ? request : undefined),
        // These signers give no proof: a proof's writes would be a fault here.
        recordFailedProof: () => Promise.reject(new Error('no signer here gives a proof')),
        resetFailedProofs: () => Promise.reject(new Error('no signer here gives a proof')),
      },
      documents: {
        read: (key: string) => {
          reads.push(key);
          return Promise.resolve(objects[key]);
        },
        presignDownload: (key: string, headers: { contentDisposition: string }) =>
          Promise.resolve(
            `https://bucket.example/${key}?disposition=${encodeURIComponent(headers.contentDisposition)}`,
          ),
      },
      contentDispositionOf: (document: { fileName: string }) => `inline; filename="${document.fileName}"`,
      clock: () => NOW,
    };
    return { request, token: tokens[0]!, deps, reads };
  };

  it('reads the bytes at the decided key', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const { token, deps, reads } = setup({ document: original }, { [original.key]: bytes });
    const answer = await openSignerDocument(deps, token);
    expect(answer).toMatchObject({
      ok: true,
      body: { kind: 'bytes', bytes },
      document: { kind: 'original', key: original.key },
    });
    expect(reads).toEqual([original.key]);
  });

  it('answers a document too large for a function’s answer with where S3 serves it, reading nothing', async () => {
    const large = { ...original, size: MAX_ANSWERED_PDF_BYTES + 1 };
    const { token, deps, reads } = setup({ document: large }, {});
    const answer = await openSignerDocument(deps, token);
    expect(answer).toMatchObject({ ok: true, body: { kind: 'redirect' } });
    if (!answer.ok || answer.body.kind !== 'redirect') return;
    expect(answer.body.location).toContain(large.key);
    expect(decodeURIComponent(answer.body.location)).toContain(`inline; filename="${large.name}"`);
    expect(reads).toEqual([]);
    const fits = setup(
      { document: { ...original, size: MAX_ANSWERED_PDF_BYTES } },
      { [original.key]: new Uint8Array([1]) },
    );
    expect(await openSignerDocument(fits.deps, fits.token)).toMatchObject({ ok: true, body: { kind: 'bytes' } });
  });

  it('hands a refusal back with the request and time it was decided on, reading no object', async () => {
    const { request, token, deps, reads } = setup({ status: 'EXPIRED', document: original }, {});
    const answer = await openSignerDocument(deps, token);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.refusal.code).toBe('SIGN_REQUEST_EXPIRED');
    expect(answer.request).toBe(request);
    expect(answer.now).toBe(NOW);
    expect(reads).toEqual([]);
  });

  it('fails (the service’s fault, a 500) when a recorded object is missing from the bucket', async () => {
    const { token, deps } = setup({ document: original }, {});
    await expect(openSignerDocument(deps, token)).rejects.toThrow(/original document of sign request .* is missing/);
  });
});
