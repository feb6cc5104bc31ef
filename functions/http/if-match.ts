import type { ExpectedVersions } from '../core/sign-request.ts';
import { transportRefusals } from './refusals.ts';

/** An entity tag (RFC 9110 §8.8.3): optionally weak, then any visible characters but `"` between quotes. */
const ENTITY_TAG = '(?:W/)?"[\\x21\\x23-\\x7e\\x80-\\xff]*"';
/** A list of entity tags; empty elements and whitespace around commas are allowed, as RFC 9110 §5.6.1 says. */
const ENTITY_TAG_LIST = new RegExp(`^[ \\t,]*${ENTITY_TAG}(?:[ \\t]*,[ \\t,]*${ENTITY_TAG})*[ \\t,]*$`);
const TAG = /(W\/)?"([^"]*)"/g;
/** The read's ETag is `"<version>"`; versions start at 1. */
const VERSION = /^[1-9][0-9]{0,14}$/;
const MAX_TAGS = 10;
const MAX_LENGTH = 1024;

/**
 * The versions an `If-Match` header names, for the one conditional write it is folded into; undefined when there is
 * no header or it is `*` (the write already requires the request to exist). Strong comparison: a weak tag or one
 * that names no version stays out of the list, so it can only fail the precondition. Anything that is not an
 * entity-tag list is refused (400), like a malformed Idempotency-Key.
 */
export const parseIfMatch = (header: string | undefined): ExpectedVersions | undefined => {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  if (value.length > MAX_LENGTH || !ENTITY_TAG_LIST.test(value)) throw transportRefusals.invalidIfMatch();
  const tags = [...value.matchAll(TAG)];
  if (tags.length > MAX_TAGS) throw transportRefusals.invalidIfMatch();
  return tags.flatMap(([, weak, opaque = '']) => (weak === undefined && VERSION.test(opaque) ? [Number(opaque)] : []));
};

/** The ETag a read answers: the stored version, as a strong tag. */
export const etagOf = (version: number): string => `"${version}"`;
