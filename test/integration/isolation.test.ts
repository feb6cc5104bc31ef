import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAdmin } from '../support/admin-command.ts';
import { initiate, newApp, recallBody, startService, type Service } from '../support/service.ts';

// No token cache in this file, so a revocation shows on the very next call (the TTL itself is unit-tested).
vi.hoisted(() => {
  process.env.APP_TOKEN_CACHE_TTL_SECONDS = '0';
});

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

const bare = (answer: { status: number; FailRules: unknown; Data: unknown }) => ({
  status: answer.status,
  FailRules: answer.FailRules,
  Data: answer.Data,
});

describe('tenant isolation', () => {
  it("gives app B the same answers for app A's request as for an id that does not exist", async () => {
    const [a, b] = [await newApp('A'), await newApp('B')];
    const theirs = await initiate(service, a.token, 1);
    const missing = ulid();
    const read = (id: string) => service.get(`/v1/sign-requests/${id}`, { authorization: `Bearer ${b.token}` });
    const recall = (id: string) => service.post('/v1/sign-requests/recall', recallBody(id, b.token));
    expect(bare(await read(theirs.SignRequestId))).toEqual(bare(await read(missing)));
    expect(bare(await recall(theirs.SignRequestId))).toEqual(bare(await recall(missing)));
    // ... and A's request is untouched.
    const own = await service.get<{ Status: string }>(`/v1/sign-requests/${theirs.SignRequestId}`, {
      authorization: `Bearer ${a.token}`,
    });
    expect(own.Data.Status).toBe('PENDING');
  });

  it('stops accepting a token once `npm run app -- revoke` has revoked it', async () => {
    const app = await newApp('Revoked');
    const created = await initiate(service, app.token, 1);
    const revoke = await runAdmin(['revoke', '--token', app.token]);
    expect(revoke.code).toBe(0);
    expect(JSON.parse(revoke.stdout)).toEqual({ Revoked: true });

    const invalid = {
      status: 401,
      FailRules: [{ Code: 'INVALID_APP_TOKEN', Message: 'Invalid App Token' }],
      Data: null,
    };
    expect(bare(await service.post('/v1/sign-requests/recall', recallBody(created.SignRequestId, app.token)))).toEqual(
      invalid,
    );
    expect(
      bare(await service.get(`/v1/sign-requests/${created.SignRequestId}`, { authorization: `Bearer ${app.token}` })),
    ).toEqual(invalid);
    const again = await service.post('/v1/sign-requests', { appToken: app.token, documentName: 'X', signers: [] });
    expect(bare(again)).toEqual(invalid);

    const twice = await runAdmin(['revoke', '--token', app.token]);
    expect(twice).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(twice.stdout)).toEqual({ Revoked: true, AlreadyRevoked: true });
  });

  it('says so when asked to revoke a token that does not exist', async () => {
    const revoke = await runAdmin(['revoke', '--token', 'esr_nope']);
    expect(revoke.code).toBe(1);
    expect(revoke.stderr).toContain('No such app token');
    expect(revoke.stderr).not.toContain('esr_nope');
  });
});
