import { sha256Hex } from '../../functions/core/signing-token.ts';
import type { AppStore } from '../../functions/store/apps.ts';
import { newAppToken } from './app-token.ts';

export type RotateTarget = { token: string } | { appId: string };

export type RotateCommandOutcome =
  | { ok: true; printed: { AppId: string; AppToken: string; OldTokenStopsWorkingBy: string } }
  | { ok: false; message: string };

const REFUSALS = {
  unknown: 'No such app token',
  revoked: 'This app token is revoked or rotated already: nothing to rotate',
  'lost-race': 'Another rotation of this app token won: nothing to rotate',
} as const;

/**
 * `npm run app -- rotate`: a new token for the same app (same AppId, so every earlier request stays the app's).
 * By app id, the app's record names its current token; the token item it names must still belong to that app,
 * so a record pointing elsewhere can never hand out another app's token.
 *
 * The old token is refused by the store from the end of the grace; a warm function that looked it up before the
 * rotation trusts it for up to `cacheTtlMs` more (functions/store/app-token-cache.ts), one that looked it up
 * during the grace never past its end. So every function refuses it by the later of the two: printed, so the
 * operator knows when a leaked token is dead.
 */
export const rotateToken = async (
  appStore: Pick<AppStore, 'rotate' | 'currentTokenHash'>,
  target: RotateTarget,
  graceSeconds: number,
  cacheTtlMs: number,
  now = new Date(),
): Promise<RotateCommandOutcome> => {
  const oldHash = 'token' in target ? sha256Hex(target.token) : await appStore.currentTokenHash(target.appId);
  if (oldHash === undefined) return { ok: false, message: 'No such app' };
  const token = newAppToken();
  const until = new Date(now.getTime() + graceSeconds * 1000).toISOString();
  const expectedAppId = 'appId' in target ? target.appId : undefined;
  const outcome = await appStore.rotate(oldHash, token, now.toISOString(), until, expectedAppId);
  if (!outcome.ok) return { ok: false, message: REFUSALS[outcome.reason] };
  const stopsWorkingBy = new Date(now.getTime() + Math.max(graceSeconds * 1000, cacheTtlMs)).toISOString();
  return { ok: true, printed: { AppId: outcome.app.appId, AppToken: token, OldTokenStopsWorkingBy: stopsWorkingBy } };
};
