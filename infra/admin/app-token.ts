import { randomBytes } from 'node:crypto';

/** A new app token: 192 random bits, prefixed so a leaked one is easy to recognise (and to scan for). */
export const newAppToken = () => `esr_${randomBytes(24).toString('base64url')}`;
