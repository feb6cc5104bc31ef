import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signRequests } from '../support/dependencies.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { envelopeOf, invokeRoute } from '../support/invoke.ts';
import { newApp, signersNamed } from '../support/service.ts';

/** FUZZ_RUNS generated inputs per endpoint: 2,000 in the deep run, fewer in `npm test` (vitest.config.ts). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

let app: Awaited<ReturnType<typeof newApp>>;
let open: { id: string; link: string };

const hostile = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.jsonValue(),
    fc.string({ unit: 'grapheme', maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 50 }),
    fc.constantFrom(null, 0, -1, 1e308, true, [], {}, '', ' ', '\u0000', '\u202e', '__proto__', 'constructor'),
    fc.string({ minLength: 2000, maxLength: 6000 }),
    fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString'), fc.jsonValue()),
  );

/** Keys no route knows, misspellings of real fields among them, each with any value: every one is refused. */
const unknownFields = fc.dictionary(
  fc.oneof(fc.constantFrom('expires_at', 'signed_name', 'reason', 'cc'), fc.string({ minLength: 1, maxLength: 20 })),
  hostile(),
  { maxKeys: 2 },
);

/**
 * A body built from a valid one with some fields removed or replaced by hostile values, sometimes with unknown
 * fields beside them, or raw text.
 */
const mutatedBody = (valid: Record<string, unknown>) =>
  fc.oneof(
    fc
      .tuple(
        fc.record(
          Object.fromEntries(Object.keys(valid).map((key) => [key, fc.oneof(fc.constant(valid[key]), hostile())])),
          { requiredKeys: [] },
        ),
        fc.oneof(fc.constant({}), unknownFields),
      )
      .map(([body, extra]) => JSON.stringify({ ...extra, ...body })),
    hostile().map((value) => JSON.stringify(value) ?? ''),
    fc.string({ maxLength: 200 }),
    fc.constant('{"__proto__": {"appToken": "x"}, "constructor": {"prototype": {}}}'),
  );

const headersArb = fc.record(
  {
    'content-type': fc.oneof(fc.constant('application/json'), fc.string({ maxLength: 40 }), fc.constant('text/plain')),
    authorization: fc.oneof(fc.string({ maxLength: 80 }), fc.constant('Bearer'), fc.constant('Bearer  ')),
    'x-anything': fc.string({ maxLength: 100 }),
  },
  { requiredKeys: [] },
);

const snapshot = () => signRequests.get(open.id);

/** Never a 5xx, always a valid envelope; a refusal has rules and no data, and changed nothing. */
const expectWellFormed = async (
  answer: { statusCode: number; body: string },
  before: SignRequest | undefined,
  current: () => Promise<SignRequest | undefined> = snapshot,
) => {
  expect(answer.statusCode).toBeGreaterThanOrEqual(200);
  expect(answer.statusCode).toBeLessThan(500);
  const envelope = envelopeOf(answer.body);
  expect(Array.isArray(envelope.FailRules)).toBe(true);
  if (answer.statusCode >= 400) {
    expect(envelope.Data).toBeNull();
    expect(envelope.FailRules.length).toBeGreaterThan(0);
    for (const rule of envelope.FailRules) {
      expect(typeof rule.Code).toBe('string');
      expect(typeof rule.Message).toBe('string');
    }
    expect(await current()).toEqual(before);
  } else {
    expect(envelope.FailRules).toEqual([]);
  }
};

beforeAll(async () => {
  app = await newApp('Fuzz');
  const created = await invokeRoute({
    method: 'POST',
    path: '/v1/sign-requests',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appToken: app.token, documentName: 'Fuzz.pdf', signers: signersNamed(2) }),
  });
  const data = envelopeOf(created.body).Data as { SignRequestId: string; Signers: { SigningUrl: string }[] };
  open = { id: data.SignRequestId, link: new URL(data.Signers[0]!.SigningUrl).pathname };
});

describe('an unknown field beside a valid body', () => {
  it('is always refused, and named', async () => {
    const valid = { appToken: app.token, documentName: 'D', signers: signersNamed(1) };
    const known = new Set(['appToken', 'documentName', 'signers', 'message', 'expiresAt', 'requestedBy']);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 30 }).filter((key) => !known.has(key)),
        hostile(),
        async (key, value) => {
          const body = JSON.stringify({ ...valid, [key]: value });
          const answer = await invokeRoute({
            method: 'POST',
            path: '/v1/sign-requests',
            headers: { 'content-type': 'application/json' },
            body,
          });
          expect(answer.statusCode).toBe(400);
          expect(envelopeOf(answer.body).FailRules).toContainEqual({
            Code: 'VALIDATION_FAILED',
            Message: `Received unknown parameter: ${key}`,
            Field: key,
          });
        },
      ),
      { numRuns: Math.min(RUNS, 300) },
    );
  });
});

describe('generated hostile input never breaks an endpoint', () => {
  it('recall', async () => {
    const valid = { signRequestId: open.id, appToken: app.token, recallReason: 'r', recalledBy: 'b' };
    await fc.assert(
      fc.asyncProperty(
        mutatedBody(valid).filter((body) => body !== JSON.stringify(valid)),
        headersArb,
        async (body, headers) => {
          const before = await snapshot();
          const answer = await invokeRoute({ method: 'POST', path: '/v1/sign-requests/recall', headers, body });
          // A mutation can still be a valid recall (reason and name replaced by other valid text): allowed once.
          if (answer.statusCode === 200) return;
          await expectWellFormed(answer, before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('initiate', async () => {
    const valid = { appToken: app.token, documentName: 'D', signers: signersNamed(1), message: 'm', requestedBy: 'q' };
    await fc.assert(
      fc.asyncProperty(mutatedBody(valid), headersArb, async (body, headers) => {
        const before = await snapshot();
        const answer = await invokeRoute({ method: 'POST', path: '/v1/sign-requests', headers, body });
        if (answer.statusCode === 201) return;
        await expectWellFormed(answer, before);
      }),
      { numRuns: RUNS },
    );
  });

  it('resend, with hostile If-Match headers too (the request is open: it can only be refused)', async () => {
    const valid = { documentName: 'D', signers: signersNamed(1), message: 'm', expiresAt: '2030-01-01T00:00:00Z' };
    // A request of its own that nothing else touches: the recall fuzz may recall the shared one (a valid mutation
    // is allowed to), and a cancelled request may be resent.
    const created = await invokeRoute({
      method: 'POST',
      path: '/v1/sign-requests',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appToken: app.token, documentName: 'Resend fuzz.pdf', signers: signersNamed(1) }),
    });
    const openId = (envelopeOf(created.body).Data as { SignRequestId: string }).SignRequestId;
    const current = () => signRequests.get(openId);
    await fc.assert(
      fc.asyncProperty(
        mutatedBody(valid),
        headersArb,
        fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('*', '"1"', 'W/"1"', '"1", "2"', ',', '""')),
        async (body, headers, ifMatch) => {
          const before = await current();
          const answer = await invokeRoute({
            method: 'POST',
            path: `/v1/sign-requests/${openId}/resend`,
            headers: { authorization: `Bearer ${app.token}`, ...headers, 'if-match': ifMatch },
            body,
          });
          expect(answer.statusCode).not.toBe(201);
          await expectWellFormed(answer, before, current);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a signer’s PATCH and DELETE, with hostile ids, bodies and If-Match headers', async () => {
    const created = await invokeRoute({
      method: 'POST',
      path: '/v1/sign-requests',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appToken: app.token, documentName: 'Signer fuzz.pdf', signers: signersNamed(3) }),
    });
    const data = envelopeOf(created.body).Data as { SignRequestId: string; Signers: { SignerId: string }[] };
    const current = () => signRequests.get(data.SignRequestId);
    const ids = fc.oneof(
      fc.constantFrom(...data.Signers.map((signer) => signer.SignerId)),
      fc.string({ maxLength: 40 }).map((id) => encodeURIComponent(id) || 'x'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('PATCH', 'DELETE'),
        ids,
        mutatedBody({ name: 'New Name', email: 'new@example.com' }),
        headersArb,
        fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('*', '"1"', 'W/"1"', '"1", "2"', ',', '""')),
        async (method, signerId, body, headers, ifMatch) => {
          const before = await current();
          const answer = await invokeRoute({
            method,
            path: `/v1/sign-requests/${data.SignRequestId}/signers/${signerId}`,
            headers: { authorization: `Bearer ${app.token}`, ...headers, 'if-match': ifMatch },
            ...(method === 'PATCH' ? { body } : {}),
          });
          await expectWellFormed(answer, before, current);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(open.id), fc.string({ maxLength: 40 }).map(encodeURIComponent)),
        headersArb,
        async (id, headers) => {
          const before = await snapshot();
          const answer = await invokeRoute({ method: 'GET', path: `/v1/sign-requests/${id || 'x'}`, headers });
          await expectWellFormed(answer, before);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('signing links: open, sign, decline and ask for a code', async () => {
    const token = open.link.split('/').at(-1)!;
    const tokenArb = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc
        .tuple(fc.nat(token.length), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([at, text]) => `${token.slice(0, at)}${text}${token.slice(at + text.length)}`),
    );
    await fc.assert(
      fc.asyncProperty(
        tokenArb.filter((candidate) => candidate !== token).map(encodeURIComponent),
        fc.oneof(fc.constant(undefined), mutatedBody({ signedName: 'S' })),
        mutatedBody({ reason: 'No' }),
        headersArb,
        async (candidate, body, declineBody, headers) => {
          const before = await snapshot();
          const path = `/v1/signing/${candidate || 'x'}`;
          await expectWellFormed(await invokeRoute({ method: 'GET', path, headers }), before);
          await expectWellFormed(
            await invokeRoute({
              method: 'POST',
              path: `${path}/sign`,
              headers,
              ...(body === undefined ? {} : { body }),
            }),
            before,
          );
          await expectWellFormed(
            await invokeRoute({ method: 'POST', path: `${path}/decline`, headers, body: declineBody }),
            before,
          );
          await expectWellFormed(
            await invokeRoute({
              method: 'POST',
              path: `${path}/code`,
              headers,
              ...(body === undefined ? {} : { body }),
            }),
            before,
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('the signer’s page and its forms: hostile links and form bodies from a browser', async () => {
    const token = open.link.split('/').at(-1)!;
    const browser = { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 120 }), fc.constant(`${token.slice(0, -2)}xx`)).map(encodeURIComponent),
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.dictionary(fc.string(), fc.string()).map((fields) => new URLSearchParams(fields).toString()),
        ),
        fc.constantFrom('sign', 'decline', 'code'),
        async (candidate, body, action) => {
          const before = await snapshot();
          const path = `/v1/signing/${candidate || 'x'}`;
          for (const answer of [
            await invokeRoute({ method: 'GET', path, headers: browser }),
            await invokeRoute({ method: 'POST', path: `${path}/${action}`, headers: browser, body }),
          ]) {
            expect(answer.statusCode).toBeGreaterThanOrEqual(200);
            expect(answer.statusCode).toBeLessThan(500);
            expect(answer.headers?.['content-type']).toBe('text/html; charset=utf-8');
            expect(answer.body).toMatch(/^<!doctype html>/);
          }
          expect(await snapshot()).toEqual(before);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
