import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import { limitsRequestOf, setAppLimits } from '../../infra/admin/limits.ts';
import { runAdmin } from '../support/admin-command.ts';
import { appStore, documentClient } from '../support/dependencies.ts';
import { registerSecret } from '../support/log-guard.ts';
import { newApp } from '../support/service.ts';

/** `limits` as the command runs it, in this process: its options checked, then stored. */
const limits = async (appId: string, options: Parameters<typeof limitsRequestOf>[0]) => {
  const request = limitsRequestOf(options);
  if (!request.ok) throw new Error(request.message);
  return setAppLimits(appStore, appId, request);
};

/** What the routes' token lookup (cached by AppTokenCache) finds for a token. */
const holderOf = (token: string, now = Date.now()) => appStore.findTokenHolder(sha256Hex(token), now);

/**
 * Holds back the write with which a rotation moves the app's record to its new token, until released: the one
 * interleaving where a limits change lands between a rotation's copy of the old token and its move of the record.
 */
let recordMove: { held: Promise<void>; reached: () => void } | undefined;
documentClient.middlewareStack.add(
  (next) => async (args) => {
    const input = args.input as { Key?: { pk?: unknown }; UpdateExpression?: unknown };
    const movesRecord =
      typeof input.Key?.pk === 'string' &&
      input.Key.pk.startsWith('APPRECORD#') &&
      String(input.UpdateExpression).includes('#tokenHash');
    if (movesRecord && recordMove) {
      recordMove.reached();
      await recordMove.held;
    }
    return next(args);
  },
  { step: 'initialize', name: 'holdRecordMove' },
);

const listed = async (appId: string) => (await appStore.list()).find((app) => app.appId === appId);

describe('npm run app -- limits', () => {
  it("stores the limits on the app's token, where the token lookup finds them, and on its record for list", async () => {
    const app = await newApp('Limited');
    const other = await newApp('Unlimited');
    expect(await limits(app.appId, { rate: '2.5', burst: '10', 'daily-quota': '500' })).toEqual({
      ok: true,
      printed: { AppId: app.appId, Limits: { ratePerSecond: 2.5, burst: 10, dailyQuota: 500 } },
    });
    expect((await holderOf(app.token))?.app).toEqual({
      appId: app.appId,
      appName: 'Limited',
      limits: { ratePerSecond: 2.5, burst: 10, dailyQuota: 500 },
    });
    expect((await listed(app.appId))?.limits).toEqual({ ratePerSecond: 2.5, burst: 10, dailyQuota: 500 });
    // No limits set: no `limits` at all, never an empty object.
    expect((await holderOf(other.token))?.app).toEqual({ appId: other.appId, appName: 'Unlimited' });
    expect(await listed(other.appId)).not.toHaveProperty('limits');
  });

  it('replaces the limits as given, and --clear removes them from token and record alike', async () => {
    const app = await newApp('Replaced');
    await limits(app.appId, { rate: '5', 'daily-quota': '3' });
    await limits(app.appId, { burst: '7' });
    expect((await holderOf(app.token))?.app.limits).toEqual({ burst: 7 });
    expect(await limits(app.appId, { clear: true })).toEqual({ ok: true, printed: { AppId: app.appId, Limits: null } });
    expect((await holderOf(app.token))?.app).toEqual({ appId: app.appId, appName: 'Replaced' });
    expect(await listed(app.appId)).not.toHaveProperty('limits');
  });

  it('reaches a rotated token in its grace period as well as the new one, and rotate carries the limits over', async () => {
    const app = await newApp('Rotated');
    await limits(app.appId, { 'daily-quota': '9' });
    const now = Date.now();
    const newToken = 'esr_limits-rotation-new-token';
    registerSecret(newToken);
    const graceUntil = new Date(now + 3_600_000).toISOString();
    expect(
      await appStore.rotate(sha256Hex(app.token), newToken, new Date(now).toISOString(), graceUntil),
    ).toMatchObject({ ok: true });
    // The new token has the app's limits from its first lookup.
    expect((await holderOf(newToken))?.app.limits).toEqual({ dailyQuota: 9 });

    await limits(app.appId, { rate: '1', burst: '1' });
    expect((await holderOf(newToken))?.app.limits).toEqual({ ratePerSecond: 1, burst: 1 });
    // The old token still works during its grace, with the same limits: no way around them.
    expect(await holderOf(app.token)).toEqual({
      app: { appId: app.appId, appName: 'Rotated', limits: { ratePerSecond: 1, burst: 1 } },
      validUntil: Date.parse(graceUntil),
    });
  });

  it('leaves the new token with the limits the record holds when a rotation and a limits change run at once', async () => {
    for (let round = 0; round < 6; round++) {
      const app = await newApp(`Race ${round}`);
      await limits(app.appId, { 'daily-quota': '1' });
      const newToken = `esr_limits-race-${round}-${Date.now()}`;
      registerSecret(newToken);
      const at = new Date().toISOString();
      const [rotated] = await Promise.all([
        appStore.rotate(sha256Hex(app.token), newToken, at, at),
        limits(app.appId, { 'daily-quota': '2', burst: '3' }),
      ]);
      expect(rotated.ok).toBe(true);
      expect((await listed(app.appId))?.limits).toEqual({ dailyQuota: 2, burst: 3 });
      expect((await holderOf(newToken))?.app.limits).toEqual({ dailyQuota: 2, burst: 3 });
    }
  });

  it('gives the new token the limits set while the rotation was between copying them and moving the record', async () => {
    const app = await newApp('Interleaved');
    await limits(app.appId, { 'daily-quota': '1' });
    let release = () => undefined as void;
    let reached = () => undefined as void;
    const atMove = new Promise<void>((resolve) => (reached = resolve));
    recordMove = { held: new Promise((resolve) => (release = resolve)), reached };
    const newToken = 'esr_limits-interleaved-new-token';
    registerSecret(newToken);
    const at = new Date().toISOString();
    try {
      const rotation = appStore.rotate(sha256Hex(app.token), newToken, at, at);
      await atMove;
      // The new token exists with the old limits; the record still names the old token.
      expect((await holderOf(newToken))?.app.limits).toEqual({ dailyQuota: 1 });
      await limits(app.appId, { 'daily-quota': '5' });
      release();
      expect((await rotation).ok).toBe(true);
    } finally {
      recordMove = undefined;
      release();
    }
    expect((await holderOf(newToken))?.app.limits).toEqual({ dailyQuota: 5 });
    expect((await listed(app.appId))?.limits).toEqual({ dailyQuota: 5 });
  });

  it('refuses an unknown app, and limits that are not positive, whole where they must be, or mixed with --clear', async () => {
    expect(await setAppLimits(appStore, '01NOSUCHAPP', { limits: { dailyQuota: 1 } })).toEqual({
      ok: false,
      message: 'No such app',
    });
    const refused = (options: Parameters<typeof limitsRequestOf>[0]) => {
      const request = limitsRequestOf(options);
      return request.ok ? 'accepted' : request.message;
    };
    expect(refused({ rate: '0' })).toBe('--rate must be a number above 0.');
    expect(refused({ rate: '-1' })).toBe('--rate must be a number above 0.');
    expect(refused({ rate: '1e3' })).toBe('--rate must be a number above 0.');
    expect(refused({ rate: 'Infinity' })).toBe('--rate must be a number above 0.');
    expect(refused({ rate: '0.5' })).toBe('accepted');
    expect(refused({ burst: '0' })).toBe('--burst must be a whole number of at least 1.');
    expect(refused({ burst: '1.5' })).toBe('--burst must be a whole number of at least 1.');
    expect(refused({ 'daily-quota': '2.0' })).toBe('--daily-quota must be a whole number of at least 1.');
    expect(refused({ 'daily-quota': '' })).toBe('--daily-quota must be a whole number of at least 1.');
    expect(refused({})).toBe('limits needs --rate, --burst or --daily-quota (or --clear to remove them).');
    expect(refused({ clear: true, burst: '2' })).toBe(
      'limits takes --clear alone, or --rate, --burst and --daily-quota: not both.',
    );
  });

  it('works as the command line: one JSON line, list shows Limits, a mistake exits 2 naming it', async () => {
    const app = await newApp('Command line');
    const set = await runAdmin(['limits', '--app-id', app.appId, '--daily-quota', '4', '--rate', '3']);
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(set.stdout)).toEqual({ AppId: app.appId, Limits: { ratePerSecond: 3, dailyQuota: 4 } });
    expect((await holderOf(app.token))?.app.limits).toEqual({ ratePerSecond: 3, dailyQuota: 4 });

    const list = await runAdmin(['list']);
    expect(list.code).toBe(0);
    const apps = JSON.parse(list.stdout) as { AppId: string; Limits: unknown }[];
    expect(apps.find((each) => each.AppId === app.appId)?.Limits).toEqual({ ratePerSecond: 3, dailyQuota: 4 });

    const mistake = await runAdmin(['limits', '--app-id', app.appId, '--burst', '0']);
    expect(mistake).toMatchObject({ code: 2, stdout: '' });
    expect(mistake.stderr).toMatch(/^--burst must be a whole number of at least 1\.\nusage:/);
  });
});
