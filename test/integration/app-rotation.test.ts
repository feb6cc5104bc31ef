import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_APP_TOKEN_CACHE_TTL_SECONDS } from '../../functions/config.ts';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import { runAdmin } from '../support/admin-command.ts';
import { appStore } from '../support/dependencies.ts';
import { registerSecret } from '../support/log-guard.ts';
import { initiate, newApp, recallBody, startService, type Service } from '../support/service.ts';

// No token cache in this file, so a rotation shows on the very next call (the cache's own limits are unit-tested).
vi.hoisted(() => {
  process.env.APP_TOKEN_CACHE_TTL_SECONDS = '0';
});

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

const INVALID = [{ Code: 'INVALID_APP_TOKEN', Message: 'Invalid App Token' }];

/** `npm run app -- rotate <args>`, its one JSON line parsed; fails the test on anything else. */
const rotate = async (args: string[], env: Record<string, string | undefined> = {}) => {
  const result = await runAdmin(['rotate', ...args], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const printed = JSON.parse(lines[0]!) as { AppId: string; AppToken: string; OldTokenStopsWorkingBy: string };
  expect(Object.keys(printed)).toEqual(['AppId', 'AppToken', 'OldTokenStopsWorkingBy']);
  registerSecret(printed.AppToken);
  return printed;
};

const read = (id: string, token: string) =>
  service.get<{ SignRequestId: string }>(`/v1/sign-requests/${id}`, { authorization: `Bearer ${token}` });

describe('npm run app -- rotate', () => {
  it("gives the same app a new token that reads and recalls every earlier request; the old one and other apps' get nothing", async () => {
    const app = await newApp('Rotating');
    const other = await newApp('Other');
    const earlier = [await initiate(service, app.token, 1), await initiate(service, app.token, 1)];

    const rotated = await rotate(['--token', app.token]);
    expect(rotated.AppId).toBe(app.appId);
    expect(rotated.AppToken).not.toBe(app.token);

    for (const request of earlier) {
      expect((await read(request.SignRequestId, rotated.AppToken)).Data.SignRequestId).toBe(request.SignRequestId);
      expect((await read(request.SignRequestId, app.token)).FailRules).toEqual(INVALID);
      expect((await read(request.SignRequestId, other.token)).status).toBe(404);
    }
    const byOther = await service.post('/v1/sign-requests/recall', recallBody(earlier[0]!.SignRequestId, other.token));
    expect(byOther.Data).not.toBe(true);
    const byOld = await service.post('/v1/sign-requests/recall', recallBody(earlier[0]!.SignRequestId, app.token));
    expect(byOld.FailRules).toEqual(INVALID);
    for (const request of earlier) {
      const recalled = await service.post(
        '/v1/sign-requests/recall',
        recallBody(request.SignRequestId, rotated.AppToken),
      );
      expect(recalled.Data).toBe(true);
    }
    // Requests the new token opens continue the app's numbering.
    expect((await initiate(service, rotated.AppToken, 1)).RequestNo).toBe('KAiZEN-3');
  });

  it('rotates by --app-id the token the app holds now, and keeps the old one valid for --grace-seconds', async () => {
    const app = await newApp('By id');
    const created = await initiate(service, app.token, 1);
    const rotated = await rotate(['--app-id', app.appId, '--grace-seconds', '3600']);
    expect(rotated.AppId).toBe(app.appId);
    // Within the grace period both tokens work.
    expect((await read(created.SignRequestId, app.token)).status).toBe(200);
    expect((await read(created.SignRequestId, rotated.AppToken)).status).toBe(200);
    // The app's record now names the new token: rotating by id again retires it, not the old one.
    const again = await rotate(['--app-id', app.appId]);
    expect((await read(created.SignRequestId, rotated.AppToken)).FailRules).toEqual(INVALID);
    expect((await read(created.SignRequestId, again.AppToken)).status).toBe(200);
    // A token in its grace period is retired already: it cannot be rotated a second time.
    const twice = await runAdmin(['rotate', '--token', app.token]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('revoked or rotated already');
  });

  it('ends the grace period at the instant it names', async () => {
    const app = await newApp('Grace');
    const now = Date.now();
    const newToken = 'esr_grace-test-new-token';
    registerSecret(newToken);
    const until = new Date(now + 5_000).toISOString();
    expect(await appStore.rotate(sha256Hex(app.token), newToken, new Date(now).toISOString(), until)).toEqual({
      ok: true,
      app: { appId: app.appId, appName: 'Grace' },
    });
    expect(await appStore.findByTokenHash(sha256Hex(app.token), now + 4_999)).toEqual({
      appId: app.appId,
      appName: 'Grace',
    });
    expect(await appStore.findByTokenHash(sha256Hex(app.token), now + 5_000)).toBeUndefined();
    expect(await appStore.findByTokenHash(sha256Hex(newToken), now + 10_000)).toBeDefined();
  });

  it('refuses to rotate a revoked, unknown or malformed target with a clear line and exit 1', async () => {
    const app = await newApp('Revoked first');
    expect((await runAdmin(['revoke', '--token', app.token])).code).toBe(0);
    const revoked = await runAdmin(['rotate', '--token', app.token]);
    expect(revoked).toMatchObject({ code: 1, stdout: '' });
    expect(revoked.stderr).toMatch(/^This app token is revoked or rotated already: nothing to rotate in table /);
    expect(revoked.stderr).not.toContain(app.token);

    const unknown = await runAdmin(['rotate', '--token', 'esr_unknown']);
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toMatch(/^No such app token in table /);
    expect(unknown.stderr).not.toContain('esr_unknown');

    const noApp = await runAdmin(['rotate', '--app-id', '01NOSUCHAPP']);
    expect(noApp).toMatchObject({ code: 1, stdout: '' });
    expect(noApp.stderr).toMatch(/^No such app in table /);

    // Both targets, or neither, or a grace that is no whole number of seconds: a usage mistake.
    for (const args of [
      ['--token', app.token, '--app-id', app.appId],
      [],
      ['--token', 'x', '--grace-seconds', '1.5'],
    ]) {
      const mistake = await runAdmin(['rotate', ...args]);
      expect(mistake.code).toBe(2);
      expect(mistake.stderr).toContain('npm run app -- rotate --token');
    }
  });

  it('lets exactly one of two concurrent rotations of the same token win', async () => {
    const app = await newApp('Raced');
    const [first, second] = await Promise.all([
      runAdmin(['rotate', '--token', app.token]),
      runAdmin(['rotate', '--token', app.token]),
    ]);
    const codes = [first.code, second.code].sort();
    expect(codes).toEqual([0, 1]);
    const winner = first.code === 0 ? first : second;
    const loser = first.code === 0 ? second : first;
    const printed = JSON.parse(winner.stdout) as { AppId: string; AppToken: string };
    registerSecret(printed.AppToken);
    expect(printed.AppId).toBe(app.appId);
    expect(loser.stdout).toBe('');
    expect(loser.stderr).toMatch(/rotat/);
  });

  it('lets exactly one of many concurrent store rotations win, leaving one working token', async () => {
    const app = await newApp('Raced in store');
    const tokens = Array.from({ length: 8 }, (_, i) => `esr_race-${app.appId}-${i}`);
    tokens.forEach(registerSecret);
    const at = new Date().toISOString();
    const outcomes = await Promise.all(tokens.map((token) => appStore.rotate(sha256Hex(app.token), token, at, at)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const working = [];
    for (const token of tokens) if (await appStore.findByTokenHash(sha256Hex(token))) working.push(token);
    expect(working).toEqual([tokens[outcomes.findIndex((outcome) => outcome.ok)]]);
    expect(await appStore.currentTokenHash(app.appId)).toBe(sha256Hex(working[0]!));
  });
});

describe('when the old token stops working, as rotate prints it', () => {
  /** The instant printed, and the bounds of the run: the command reads its clock in between. */
  const rotatedWithin = async (args: string[], env: Record<string, string | undefined>) => {
    const before = Date.now();
    const printed = await rotate(args, env);
    return { by: Date.parse(printed.OldTokenStopsWorkingBy), before, after: Date.now() };
  };

  it('is the token cache TTL from now without a grace (a warm function may trust the old token that long)', async () => {
    const app = await newApp('Stops by TTL');
    // Unset, as in a newcomer's shell: the functions' default TTL applies.
    const { by, before, after } = await rotatedWithin(['--token', app.token], {
      APP_TOKEN_CACHE_TTL_SECONDS: undefined,
    });
    const ttlMs = DEFAULT_APP_TOKEN_CACHE_TTL_SECONDS * 1000;
    expect(by).toBeGreaterThanOrEqual(before + ttlMs);
    expect(by).toBeLessThanOrEqual(after + ttlMs);
  });

  it('is the end of the grace when the grace outlasts the TTL, and follows APP_TOKEN_CACHE_TTL_SECONDS', async () => {
    const graced = await newApp('Stops by grace');
    const grace = await rotatedWithin(['--token', graced.token, '--grace-seconds', '3600'], {
      APP_TOKEN_CACHE_TTL_SECONDS: '120',
    });
    expect(grace.by).toBeGreaterThanOrEqual(grace.before + 3_600_000);
    expect(grace.by).toBeLessThanOrEqual(grace.after + 3_600_000);

    const short = await newApp('Stops by a TTL of 120 s');
    const ttl = await rotatedWithin(['--token', short.token, '--grace-seconds', '30'], {
      APP_TOKEN_CACHE_TTL_SECONDS: '120',
    });
    expect(ttl.by).toBeGreaterThanOrEqual(ttl.before + 120_000);
    expect(ttl.by).toBeLessThanOrEqual(ttl.after + 120_000);
  });
});

describe('npm run app -- list', () => {
  it('shows every app with its name, creation time, whether it is revoked and its limits, never a token or a hash', async () => {
    const kept = await newApp('Listed kept');
    const gone = await newApp('Listed revoked');
    expect((await runAdmin(['revoke', '--token', gone.token])).code).toBe(0);
    const result = await runAdmin(['list']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const apps = JSON.parse(lines[0]!) as { AppId: string; AppName: string; CreatedAt: string; Revoked: boolean }[];
    expect(apps.find((app) => app.AppId === kept.appId)).toEqual({
      AppId: kept.appId,
      AppName: 'Listed kept',
      CreatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      Revoked: false,
      Limits: null,
    });
    expect(apps.find((app) => app.AppId === gone.appId)).toMatchObject({ Revoked: true });
    for (const app of apps) expect(Object.keys(app)).toEqual(['AppId', 'AppName', 'CreatedAt', 'Revoked', 'Limits']);
    for (const secret of [kept.token, gone.token, sha256Hex(kept.token), sha256Hex(gone.token), 'esr_']) {
      expect(result.stdout).not.toContain(secret);
    }
  });
});
