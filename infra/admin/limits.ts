import type { AppLimits } from '../../functions/core/app.ts';
import type { AppStore } from '../../functions/store/apps.ts';

/** What `limits` was asked to do: store these limits, or clear them (undefined). */
export type LimitsRequest = { ok: true; limits: AppLimits | undefined } | { ok: false; message: string };

export interface LimitsOptions {
  rate?: string | undefined;
  burst?: string | undefined;
  'daily-quota'?: string | undefined;
  clear?: boolean | undefined;
}

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** A positive number (a rate may be below one: 0.5 is one request every two seconds), or why not. */
const positive = (name: string, text: string, whole: boolean): number | string => {
  const value = Number(text);
  const shape = whole ? WHOLE : DECIMAL;
  if (!shape.test(text.trim()) || !Number.isFinite(value) || value <= 0 || value > Number.MAX_SAFE_INTEGER)
    return `--${name} must be ${whole ? 'a whole number of at least 1' : 'a number above 0'}.`;
  return value;
};

/**
 * `limits`' options, checked: --rate a number above 0, --burst and --daily-quota whole numbers of at least 1, or
 * --clear alone. The limits given replace the app's: one left out takes the stage's default (no daily quota).
 */
export const limitsRequestOf = (options: LimitsOptions): LimitsRequest => {
  const given = { rate: options.rate, burst: options.burst, 'daily-quota': options['daily-quota'] };
  const named = Object.entries(given).filter(([, text]) => text !== undefined) as [keyof typeof given, string][];
  if (options.clear) {
    return named.length > 0
      ? { ok: false, message: 'limits takes --clear alone, or --rate, --burst and --daily-quota: not both.' }
      : { ok: true, limits: undefined };
  }
  if (named.length === 0)
    return { ok: false, message: 'limits needs --rate, --burst or --daily-quota (or --clear to remove them).' };
  const limits: AppLimits = {};
  const fields = { rate: 'ratePerSecond', burst: 'burst', 'daily-quota': 'dailyQuota' } as const;
  for (const [name, text] of named) {
    const value = positive(name, text, name !== 'rate');
    if (typeof value === 'string') return { ok: false, message: value };
    limits[fields[name]] = value;
  }
  return { ok: true, limits };
};

export type LimitsCommandOutcome =
  { ok: true; printed: { AppId: string; Limits: AppLimits | null } } | { ok: false; message: string };

/**
 * `npm run app -- limits --app-id <id> ...`: stores the app's limits on its record and on each of its tokens that
 * still works (functions/store/apps.ts setLimits). The routes read them with the token, from a cache: every warm
 * function applies them within the token cache TTL (APP_TOKEN_CACHE_TTL_SECONDS).
 */
export const setAppLimits = async (
  appStore: Pick<AppStore, 'setLimits'>,
  appId: string,
  request: { limits: AppLimits | undefined },
): Promise<LimitsCommandOutcome> => {
  const outcome = await appStore.setLimits(appId, request.limits);
  if (!outcome.ok) return { ok: false, message: 'No such app' };
  return { ok: true, printed: { AppId: outcome.app.appId, Limits: outcome.app.limits ?? null } };
};
