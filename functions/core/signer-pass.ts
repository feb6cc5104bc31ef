import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProofKind, SignRequest, Signer } from './sign-request.ts';

/** How long a pass lets the signer's browser use the link after a right proof: enough to read and sign. */
export const SIGNER_PASS_SECONDS = 30 * 60;

const PASS = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;
const KINDS: readonly ProofKind[] = ['ACCESS_CODE', 'EMAIL'];

/**
 * What a pass signs: the request, the signer, the link's stored hash (a pass outlives no change of link), the
 * proof it stands for and its expiry. Never the code itself.
 */
const mac = (
  key: Buffer,
  signRequestId: string,
  signerId: string,
  tokenHash: string,
  kind: ProofKind,
  expiry: number,
) =>
  createHmac('sha256', key)
    .update(['v1', signRequestId, signerId, tokenHash, kind, String(expiry)].join('\n'), 'utf8')
    .digest();

/**
 * A pass for this signer's right proof at `now`, signed with the pass key (functions/signing-key.ts: a key of its
 * own, not the link key, so the signing functions that check passes can derive no signing link): `<expiry in epoch seconds>.<HMAC, base64url>`. */
export const issueSignerPass = (
  key: Buffer,
  request: Pick<SignRequest, 'id'>,
  signerId: string,
  signer: Pick<Signer, 'tokenHash'>,
  kind: ProofKind,
  now: string,
): string => {
  const expiry = Math.floor(Date.parse(now) / 1000) + SIGNER_PASS_SECONDS;
  return `${expiry}.${mac(key, request.id, signerId, signer.tokenHash, kind, expiry).toString('base64url')}`;
};

/** The proof kind a pass stands for, when it is this signer's, unexpired and unforged; compared in constant time. */
export const signerPassKind = (
  key: Buffer,
  pass: string,
  request: Pick<SignRequest, 'id'>,
  signerId: string,
  signer: Pick<Signer, 'tokenHash'>,
  now: string,
): ProofKind | undefined => {
  const parsed = PASS.exec(pass);
  if (!parsed) return undefined;
  const expiry = Number(parsed[1]);
  if (expiry * 1000 <= Date.parse(now)) return undefined;
  const given = Buffer.from(parsed[2] ?? '', 'base64url');
  return KINDS.find((kind) => {
    const expected = mac(key, request.id, signerId, signer.tokenHash, kind, expiry);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
};
