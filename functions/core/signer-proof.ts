import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { emailCodeMatches } from './email-code.ts';
import type { ProofKind, Signer, SignerProof } from './sign-request.ts';

/** The bounds of an access code, as initiate's contract checks them. */
export const ACCESS_CODE_MIN_LENGTH = 6;
export const ACCESS_CODE_MAX_LENGTH = 20;

/** The proof a signer must give, or undefined when holding the link is enough. */
export const proofKindOf = (signer: Pick<Signer, 'proof'>): ProofKind | undefined => signer.proof?.kind;

/**
 * scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB, some tens of milliseconds). An access code is short (6 to 20
 * characters), so a fast hash of it would fall to an offline search in moments; a memory-hard one with a salt of
 * its own makes every guess cost that much, and every stored code its own search. The parameters travel in the
 * stored string, so stronger ones later still verify the old.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const PREFIX = 'scrypt';

const scryptAsync = (code: string, salt: Buffer, options: { N: number; r: number; p: number }): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    // maxmem above the 128 * N * r the cost needs (Node's default is exactly 32 MiB, too tight for N = 2^15).
    const withMemory: ScryptOptions = { ...options, maxmem: 256 * options.N * options.r };
    scrypt(code.normalize('NFC'), salt, KEY_BYTES, withMemory, (error, key) => (error ? reject(error) : resolve(key)));
  });

/** `scrypt$N$r$p$<salt base64url>$<key base64url>`: the stored form of an access code, never the code itself. */
export const hashAccessCode = async (code: string): Promise<string> => {
  const salt = randomBytes(SALT_BYTES);
  const key = await scryptAsync(code, salt, COST);
  return [PREFIX, COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
};

const POSITIVE_INT = /^[1-9][0-9]{0,9}$/;

/**
 * Whether `presented` is the code behind `stored`, compared in constant time. A stored string that is not one
 * this module wrote matches nothing (and never throws: a refusal, not a fault, is what the signer sees).
 */
export const accessCodeMatches = async (stored: string, presented: string): Promise<boolean> => {
  const [prefix, n, r, p, salt, key, ...rest] = stored.split('$');
  if (prefix !== PREFIX || rest.length > 0 || !salt || !key) return false;
  if (![n, r, p].every((part) => part !== undefined && POSITIVE_INT.test(part))) return false;
  const expected = Buffer.from(key, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  // Bounded like a presented code: nothing longer than the contract allows is ever worth the hashing.
  if (presented.length === 0 || presented.length > ACCESS_CODE_MAX_LENGTH * 4) return false;
  const derived = await scryptAsync(presented, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(derived, expected);
};

/** What a presented proof is worth: enough (or none asked), missing, or wrong (how wrong is never told). */
export type ProofCheck = 'ok' | 'required' | 'invalid';

/**
 * Checks what the signer presented against the proof they must give; `presented` undefined or empty is missing.
 * A signer with no proof needs none: whatever was presented is ignored.
 */
export const checkSignerProof = async (
  signer: Signer,
  presented: string | undefined,
  now: string,
): Promise<ProofCheck> => {
  const proof = signer.proof;
  if (!proof) return 'ok';
  if (presented === undefined || presented === '') return 'required';
  const matches =
    proof.kind === 'ACCESS_CODE'
      ? await accessCodeMatches(proof.hash, presented)
      : emailCodeMatches(signer, presented, now);
  return matches ? 'ok' : 'invalid';
};

/** A signer as an app names it: at most one of an access code and `verify: "email"` (the contract refuses both). */
export interface SignerProofInput {
  accessCode?: string | undefined;
  verify?: 'email' | undefined;
}

/** The proof to store for a signer as the app named it: the code's slow hash, never the code. */
export const signerProofOf = async (input: SignerProofInput): Promise<SignerProof | undefined> => {
  if (input.accessCode !== undefined) return { kind: 'ACCESS_CODE', hash: await hashAccessCode(input.accessCode) };
  return input.verify === 'email' ? { kind: 'EMAIL' } : undefined;
};

/**
 * The signers with their proofs in stored form, one hash after another (each takes 32 MiB: a request's 50
 * hashed at once would take the function's memory), the rest of each signer as given.
 */
export const withStoredProofs = async <S extends { name: string; email: string } & SignerProofInput>(
  signers: readonly S[],
): Promise<(Omit<S, keyof SignerProofInput> & { proof?: SignerProof })[]> => {
  const stored: (Omit<S, keyof SignerProofInput> & { proof?: SignerProof })[] = [];
  for (const { accessCode, verify, ...rest } of signers) {
    const proof = await signerProofOf({ accessCode, verify });
    stored.push({ ...rest, ...(proof ? { proof } : {}) });
  }
  return stored;
};
