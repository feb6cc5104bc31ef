import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../functions/core/events.ts';
import { firstFailing } from '../../functions/core/guards.ts';
import { signedDocumentRule } from '../../functions/core/rules.ts';
import type { SignedDocumentRecord, SignRequest } from '../../functions/core/sign-request.ts';
import type { CertificateFacts } from '../../functions/documents/certificate-facts.ts';
import type { WriteResult } from '../../functions/store/write-result.ts';
import {
  keepOriginalDocument,
  makeSignedDocument,
  type SignedDocumentMakerDependencies,
} from '../../functions/workflows/make-signed-document.ts';
import { recordingLogger } from '../support/recording-logger.ts';
import { freshRequest } from '../support/requests.ts';

const COMPLETED_AT = '2030-06-12T10:00:00.000Z';
const NOW = '2030-06-12T10:00:05.000Z';
const ORIGINAL_KEY = 'documents/APP1/REQ/original.pdf';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const completedRequest = (overrides: Partial<SignRequest> = {}): SignRequest => {
  const { request } = freshRequest(1);
  return {
    ...request,
    status: 'COMPLETED',
    signedCount: 1,
    updatedAt: COMPLETED_AT,
    document: { name: 'Lease.pdf', sha256: 'ab'.repeat(32), size: 10, pages: 1, key: ORIGINAL_KEY },
    ...overrides,
  };
};

const completedEvent = (request: SignRequest, type: 'SignRequestCompleted' | 'SignerSigned' = 'SignRequestCompleted') =>
  ({
    schemaVersion: 1,
    eventId: `${request.id}.3`,
    occurredAt: COMPLETED_AT,
    signRequestId: request.id,
    requestNo: request.requestNo,
    appId: request.appId,
    status: 'COMPLETED',
    ...(type === 'SignerSigned' ? { type, signerId: 'S' } : { type }),
  }) as DomainEvent;

/**
 * The maker's ports in memory: a request store that lands the record only when the real rule
 * (`signedDocumentRule`) holds on what it stores (`beforeRecord` lands another change first: a concurrent make), a
 * bucket that keeps what is put and marked kept, a sealer that records what it was given.
 */
const setup = (request: SignRequest | undefined, options: { original?: Uint8Array; appName?: string } = {}) => {
  const state = { stored: request, beforeRecord: (current: SignRequest | undefined) => current };
  const objects = new Map<string, Uint8Array>([[ORIGINAL_KEY, options.original ?? new Uint8Array([1, 2, 3])]]);
  const puts: { key: string; sha256: string }[] = [];
  const kept: string[] = [];
  const reads: string[] = [];
  const seals: { original: Uint8Array | undefined; facts: CertificateFacts; at: Date }[] = [];
  const records: SignedDocumentRecord[] = [];
  const { logger, lines } = recordingLogger();
  let ids = 0;
  const deps: SignedDocumentMakerDependencies = {
    signRequests: {
      get: () => Promise.resolve(state.stored),
      recordSignedDocument: (_id, record): Promise<WriteResult> => {
        records.push(record);
        state.stored = state.beforeRecord(state.stored);
        if (firstFailing(signedDocumentRule(record.madeAt), state.stored) !== undefined)
          return Promise.resolve({ ok: false, current: state.stored });
        const current = state.stored!;
        state.stored = {
          ...current,
          signedDocument: record,
          updatedAt: record.madeAt,
          version: current.version + 1,
          history: [...current.history, { at: record.madeAt, event: 'SIGNED_DOCUMENT_READY' }],
        };
        return Promise.resolve({ ok: true });
      },
    },
    documents: {
      read: (key) => {
        reads.push(key);
        return Promise.resolve(objects.get(key));
      },
      putPending: (key, bytes, sha) => {
        objects.set(key, bytes);
        puts.push({ key, sha256: sha });
        return Promise.resolve();
      },
      keep: (key) => {
        kept.push(key);
        return Promise.resolve();
      },
    },
    appNameOf: (appId) => Promise.resolve(appId === 'APP1' ? options.appName : undefined),
    seal: (original, facts, at) => {
      seals.push({ original, facts, at });
      return Promise.resolve(new TextEncoder().encode(`sealed ${facts.signRequestId} at ${at.toISOString()}`));
    },
    newId: () => `MAKE${++ids}`,
    logger,
    now: () => new Date(NOW),
  };
  return { state, objects, puts, kept, reads, seals, records, lines, deps };
};

describe('makeSignedDocument', () => {
  it('seals the original and the certificate, puts them under a key of its own, records them once, marks them kept', async () => {
    const request = completedRequest();
    const original = new Uint8Array([9, 8, 7]);
    const { state, objects, puts, kept, reads, seals, deps, lines } = setup(request, { original, appName: 'Lettings' });
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect(reads).toEqual([ORIGINAL_KEY]);
    expect(seals).toHaveLength(1);
    expect(seals[0]!.original).toEqual(original);
    expect(seals[0]!.facts).toMatchObject({ sender: 'Lettings', signRequestId: request.id, issuedAt: NOW });
    expect(seals[0]!.facts.outcome).toMatchObject({ kind: 'completed' });
    expect(seals[0]!.at.toISOString()).toBe(NOW);
    const key = `documents/${request.appId}/${request.id}/signed-MAKE1.pdf`;
    const bytes = objects.get(key)!;
    expect(puts).toEqual([{ key, sha256: sha256(bytes) }]);
    expect(state.stored?.signedDocument).toEqual({ sha256: sha256(bytes), size: bytes.byteLength, key, madeAt: NOW });
    expect(state.stored?.history.at(-1)).toEqual({ at: NOW, event: 'SIGNED_DOCUMENT_READY' });
    expect(kept).toEqual([key]);
    expect(lines.find((line) => line.message === 'signed document made')).toMatchObject({
      level: 'info',
      attributes: {
        eventId: `${request.id}.3`,
        signRequestId: request.id,
        sha256: sha256(bytes),
        size: bytes.byteLength,
      },
    });
  });

  it('seals the certificate alone for a request that holds no document, reading nothing', async () => {
    const request = completedRequest({ document: undefined });
    const { reads, seals, state, deps } = setup(request, { appName: 'Lettings' });
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect(reads).toEqual([]);
    expect(seals.map((seal) => seal.original)).toEqual([undefined]);
    expect(state.stored?.signedDocument).toBeDefined();
  });

  it('names the app by its id on the certificate when the app has no record', async () => {
    const request = completedRequest({ appId: 'APP-GONE' });
    const { seals, deps } = setup(request);
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect(seals[0]!.facts.sender).toBe('APP-GONE');
  });

  it('stamps the make after the request’s last change when this clock is behind it', async () => {
    const later = '2030-06-12T10:00:09.000Z';
    const request = completedRequest({ updatedAt: later });
    const { state, deps } = setup(request);
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect(state.stored?.signedDocument?.madeAt).toBe('2030-06-12T10:00:09.001Z');
  });

  it('makes nothing again when the record exists: it only makes sure that object is kept', async () => {
    const record = { sha256: 'cd'.repeat(32), size: 5, key: 'documents/APP1/REQ/signed-OLD.pdf', madeAt: NOW };
    const request = completedRequest({ signedDocument: record });
    const { puts, kept, seals, records, deps } = setup(request);
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect([puts, seals, records]).toEqual([[], [], []]);
    expect(kept).toEqual([record.key]);
  });

  it.each([
    ['another event', (request: SignRequest) => completedEvent(request, 'SignerSigned'), completedRequest()],
    ['a missing request', completedEvent, undefined],
    ['a request that is not completed', completedEvent, completedRequest({ status: 'CANCELLED' })],
  ] as const)('does nothing for %s', async (_, eventOf, stored) => {
    const request = completedRequest();
    const { puts, seals, records, kept, deps } = setup(stored);
    expect(await makeSignedDocument(deps, eventOf(request))).toBe('done');
    expect([puts, seals, records, kept]).toEqual([[], [], [], []]);
  });

  it('says why when the request is not completed', async () => {
    const request = completedRequest({ status: 'DECLINED' });
    const { deps, lines } = setup(request);
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect(lines.find((line) => line.level === 'error')).toMatchObject({
      message: 'request not completed: no signed document made',
      attributes: { signRequestId: request.id, status: 'DECLINED' },
    });
  });

  it('does nothing for an event naming another app than the request’s', async () => {
    const request = completedRequest();
    const { seals, deps, lines } = setup(request);
    const foreign = { ...completedEvent(request), appId: 'OTHER' } as DomainEvent;
    expect(await makeSignedDocument(deps, foreign)).toBe('done');
    expect(seals).toEqual([]);
    expect(lines.map((line) => [line.level, line.message])).toContainEqual([
      'error',
      'request not found: no signed document made',
    ]);
  });

  it('throws, putting nothing, when the original is missing from the bucket or the seal fails: the queue retries', async () => {
    const request = completedRequest({
      document: { name: 'Lease.pdf', sha256: 'ab'.repeat(32), size: 10, pages: 1, key: 'documents/none.pdf' },
    });
    const missing = setup(request);
    await expect(makeSignedDocument(missing.deps, completedEvent(request))).rejects.toThrow(/missing from the bucket/);
    expect(missing.seals).toEqual([]);
    const failing = setup(completedRequest());
    failing.deps.seal = () => Promise.reject(new Error('SEALING_UNAVAILABLE'));
    await expect(makeSignedDocument(failing.deps, completedEvent(completedRequest()))).rejects.toThrow(
      'SEALING_UNAVAILABLE',
    );
    expect([failing.puts, failing.records]).toEqual([[], []]);
  });

  it('loses to a make recorded first: keeps that record and its object, leaves its own object unkept', async () => {
    const request = completedRequest();
    const { state, kept, puts, deps, lines } = setup(request);
    const winner = { sha256: 'ef'.repeat(32), size: 7, key: 'documents/APP1/REQ/signed-WINNER.pdf', madeAt: NOW };
    state.beforeRecord = (current) => current && { ...current, signedDocument: winner };
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect(state.stored?.signedDocument).toEqual(winner);
    expect(puts.map((put) => put.key)).toEqual([`documents/${request.appId}/${request.id}/signed-MAKE1.pdf`]);
    expect(kept).toEqual([winner.key]);
    expect(
      lines.find(
        (line) => line.message === 'signed document already recorded: this make is left to the lifecycle rule',
      ),
    ).toMatchObject({ attributes: { signRequestId: request.id, orphanKey: puts[0]!.key } });
  });

  it('asks for a retry when a later change landed first, and records nothing', async () => {
    const request = completedRequest();
    const { state, kept, deps } = setup(request);
    state.beforeRecord = (current) => current && { ...current, updatedAt: '2030-06-12T11:00:00.000Z' };
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('retry');
    expect(state.stored?.signedDocument).toBeUndefined();
    expect(kept).toEqual([]);
  });

  it.each([
    ['gone', () => undefined],
    [
      'no longer completed',
      (current: SignRequest | undefined) => current && { ...current, status: 'EXPIRED' as const },
    ],
  ])('gives up without a record when the request is %s at the write', async (_, change) => {
    const request = completedRequest();
    const { state, kept, deps, lines } = setup(request);
    state.beforeRecord = change;
    expect(await makeSignedDocument(deps, completedEvent(request))).toBe('done');
    expect(state.stored?.signedDocument).toBeUndefined();
    expect(kept).toEqual([]);
    expect(lines.find((line) => line.level === 'error')).toMatchObject({
      message: 'request no longer completed: no signed document recorded',
      attributes: { signRequestId: request.id },
    });
  });
});

describe('keepOriginalDocument', () => {
  const createdEvent = (request: SignRequest, appId = request.appId) =>
    ({
      ...completedEvent(request),
      type: 'SignRequestCreated',
      documentName: 'Lease.pdf',
      signerCount: 1,
      appId,
    }) as DomainEvent;

  it('marks the original of the created request kept, and nothing else', async () => {
    const request = completedRequest({ status: 'PENDING', signedCount: 0 });
    const { deps, kept, puts, records } = setup(request);
    expect(await keepOriginalDocument(deps, createdEvent(request))).toBe('done');
    expect(kept).toEqual([ORIGINAL_KEY]);
    expect(puts).toEqual([]);
    expect(records).toEqual([]);
  });

  it('keeps nothing for a request without a document, another app’s event, a missing request or another event', async () => {
    const request = completedRequest({ status: 'PENDING', signedCount: 0 });
    const { document: _none, ...withoutDocument } = request;
    for (const [stored, event] of [
      [withoutDocument, createdEvent(request)],
      [request, createdEvent(request, 'OTHER')],
      [undefined, createdEvent(request)],
      [request, completedEvent(request)],
    ] as const) {
      const { deps, kept } = setup(stored);
      expect(await keepOriginalDocument(deps, event)).toBe('done');
      expect(kept).toEqual([]);
    }
  });
});
