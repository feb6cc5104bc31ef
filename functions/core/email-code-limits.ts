/** How long a mailed one-time code is good for. */
export const EMAIL_CODE_VALID_MS = 10 * 60_000;

/** At most this many codes are mailed to one signer in any hour (`EMAIL_CODE_WINDOW_MS`). */
export const EMAIL_CODE_SENDS_PER_HOUR = 5;
export const EMAIL_CODE_WINDOW_MS = 60 * 60_000;

/** The time an hour before `at`: a send stamped at or before it no longer counts against the hourly limit. */
export const windowStartBefore = (at: string): string => new Date(Date.parse(at) - EMAIL_CODE_WINDOW_MS).toISOString();

/**
 * Seconds until a signer who has had every send of the last hour may be mailed a code again: when the oldest of
 * those sends leaves the hour (at least 1, a Retry-After).
 */
export const secondsUntilNextSend = (sentAt: readonly string[], at: string): number => {
  const oldest = Math.min(...sentAt.map((sent) => Date.parse(sent)));
  if (!Number.isFinite(oldest)) return 1;
  return Math.max(1, Math.ceil((oldest + EMAIL_CODE_WINDOW_MS - Date.parse(at)) / 1000));
};
