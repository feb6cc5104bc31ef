import type { HistoryEntry } from './sign-request.ts';

/**
 * Where an act on a request came from, as the edge saw it: the caller's address and the User-Agent it sent. Each
 * VIEWED, SIGNED, DECLINED and RECALLED history entry carries it, written in the act's own conditional write.
 * Either may be absent: a direct invocation has no caller address; an old entry predates the fields.
 *
 * What it proves, and what not (docs/design.md "Evidence of each act"): the address the request came from, not the
 * person; the User-Agent is whatever the client chose to send.
 */
export interface Evidence {
  /** An IPv4 or IPv6 address, as the edge saw it (http/caller-evidence.ts); never anything else. */
  ip?: string;
  /** The caller's User-Agent, cleaned of control and format characters and at most MAX_USER_AGENT long. */
  userAgent?: string;
}

/** Long enough for any real browser's User-Agent (about 150-300 characters), short enough to bound every entry. */
export const MAX_USER_AGENT = 512;

/** The history entry's fields for this evidence: only those present, so an entry without any stays as it was. */
export const evidenceFields = (evidence: Evidence): Pick<HistoryEntry, 'ip' | 'userAgent'> => ({
  ...(evidence.ip ? { ip: evidence.ip } : {}),
  ...(evidence.userAgent ? { userAgent: evidence.userAgent } : {}),
});
