import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignRequestStatus } from '../core/sign-request.ts';

/** The filters a list was asked with, normalised (date-times in UTC with milliseconds), absent when not given. */
export interface ListFilters {
  status?: SignRequestStatus;
  createdFrom?: string;
  createdTo?: string;
}

/** Where a page stopped: the last item's index sort key, `<createdAt>#<id>` (functions/store/keys.ts). */
const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/**
 * The bytes of base64url text in its one canonical spelling only: a decoder ignores a last character's spare
 * bits, so without this, changing them would alter a cursor and still pass.
 */
const canonicalBase64url = (text: string): Buffer | undefined => {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

/** Bumped if what a cursor binds ever changes, so an older cursor is refused rather than misread. */
const FORMAT = 'list-cursor-v1';

/**
 * Cursors that are opaque to callers and tamper-evident: `<position>.<HMAC-SHA256>`, base64url, the MAC over the
 * app, the filters and the position. A cursor altered, truncated, forged, of another app or of other filters
 * fails the MAC and is refused (INVALID_CURSOR). It is signed, not encrypted: it shows only the creation time and
 * id of the caller's own last listed request. The key is the list function's own (LIST_CURSOR_KEY).
 */
export const listCursors = (key: Buffer) => {
  const macOf = (appId: string, filters: ListFilters, position: string) =>
    createHmac('sha256', key)
      .update(
        JSON.stringify([
          FORMAT,
          appId,
          filters.status ?? null,
          filters.createdFrom ?? null,
          filters.createdTo ?? null,
          position,
        ]),
      )
      .digest();

  return {
    seal: (appId: string, filters: ListFilters, position: string): string =>
      `${Buffer.from(position).toString('base64url')}.${macOf(appId, filters, position).toString('base64url')}`,

    /** The position a cursor carries, or undefined for any cursor this app did not get with these filters. */
    open: (appId: string, filters: ListFilters, cursor: string): string | undefined => {
      const [encoded, mac, ...rest] = cursor.split('.');
      if (!encoded || !mac || rest.length > 0) return undefined;
      const positionBytes = canonicalBase64url(encoded);
      const given = canonicalBase64url(mac);
      if (!positionBytes || !given) return undefined;
      const position = positionBytes.toString('utf8');
      const expected = macOf(appId, filters, position);
      if (given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) return undefined;
      return POSITION.test(position) ? position : undefined;
    },
  };
};

export type ListCursors = ReturnType<typeof listCursors>;
