import { monotonicFactory } from 'ulid';

const ULID_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** A well-formed ULID in canonical upper case; anything else can name no request, so it needs no lookup. */
export const isUlid = (value: string): boolean => ULID_PATTERN.test(value);

export const newId: () => string = monotonicFactory();
