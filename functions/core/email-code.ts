import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { EMAIL_CODE_SENDS_PER_HOUR, EMAIL_CODE_VALID_MS } from './email-code-limits.ts';
import { refusalOf } from './guards.ts';
import { codeSendRule } from './rules.ts';
import type { EmailCode, SignRequest, Signer } from './sign-request.ts';
import { openSigningLink } from './signing.ts';
import type { SigningToken } from './signing-token.ts';

/** A one-time code: six digits, each of the 10^6 equally likely (randomInt draws without modulo bias). */
export const newEmailCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * What is stored of a code: HMAC-SHA256 keyed with the signer's link hash. No slow hash: a space of 10^6 falls to
 * any hash in seconds, so what protects a code is that it is good for 10 minutes, one at a time, against a link
 * whose secret is stored nowhere, with a signer locked after a few wrong ones (docs/design.md). The key only ties a
 * hash to its one signer's link: copied onto another signer, it matches nothing.
 */
export const hashEmailCode = (signer: Pick<Signer, 'tokenHash'>, code: string): string =>
  createHmac('sha256', signer.tokenHash).update(`email-code.${code}`).digest('hex');

/**
 * Whether `presented` is the signer's current one-time code at `now`: false when none was sent, or it expired
 * (at its `expiresAt` itself, as deadlines are), or another was sent since. The hashes are compared in constant
 * time, so no answer's timing tells how close a guess was.
 */
export const emailCodeMatches = (signer: Signer, presented: string, now: string): boolean => {
  const current = signer.emailCode;
  if (!current || Date.parse(current.expiresAt) <= Date.parse(now)) return false;
  const given = Buffer.from(hashEmailCode(signer, presented), 'hex');
  const stored = Buffer.from(current.hash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
};

export interface CodeSendPlan {
  signRequestId: string;
  signerId: string;
  at: string;
  /** The hash of the code, and until when it is good: what the write stores. The code itself is never planned. */
  hash: string;
  expiresAt: string;
  /** Where in `sentAt` this send is recorded; undefined: the signer's first code, written whole (rules.ts). */
  slot: number | undefined;
}

/**
 * The place a send takes in `sentAt`: the next one while fewer than the limit are kept, else the oldest
 * one if it has left the hour. When none is free the rule's limit guard refuses, with its Retry-After.
 */
const slotFor = (emailCode: EmailCode | undefined): number | undefined => {
  if (!emailCode) return undefined;
  const { sentAt } = emailCode;
  if (sentAt.length < EMAIL_CODE_SENDS_PER_HOUR) return sentAt.length;
  // The oldest: written over when it has left the hour; when it has not, none has, and the limit guard refuses.
  return sentAt.reduce((found, sent, index) => (sent < sentAt[found]! ? index : found), 0);
};

/**
 * A one-time code for the signer the token opens, planned from the request as read: refused (thrown) by the link
 * check, then by the first guard of the send's rule the request fails (core/rules.ts `codeSendRule`). The code is
 * drawn by the caller, so a plan planned again after a lost race keeps the one code that will be mailed.
 */
export const planCodeSend = (
  request: SignRequest | undefined,
  token: SigningToken,
  now: string,
  code: string,
): CodeSendPlan => {
  const { signer } = openSigningLink(request, token);
  const plan: CodeSendPlan = {
    signRequestId: token.signRequestId,
    signerId: token.signerId,
    at: now,
    hash: hashEmailCode(signer, code),
    expiresAt: new Date(Date.parse(now) + EMAIL_CODE_VALID_MS).toISOString(),
    slot: slotFor(signer.emailCode),
  };
  const refusal = refusalOf(codeSendRule(plan), request);
  if (refusal) throw refusal;
  return plan;
};

/** The refused write found this plan's own code stored: an earlier attempt landed and its answer was lost. */
export const isOwnCodeSend = (current: SignRequest | undefined, plan: CodeSendPlan): boolean =>
  current?.signers[plan.signerId]?.emailCode?.hash === plan.hash &&
  current.signers[plan.signerId]?.emailCode?.sentAt.includes(plan.at) === true;
