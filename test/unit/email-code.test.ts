import { describe, expect, it } from 'vitest';
import {
  EMAIL_CODE_SENDS_PER_HOUR,
  EMAIL_CODE_VALID_MS,
  EMAIL_CODE_WINDOW_MS,
  secondsUntilNextSend,
} from '../../functions/core/email-code-limits.ts';
import {
  emailCodeMatches,
  hashEmailCode,
  isOwnCodeSend,
  newEmailCode,
  planCodeSend,
} from '../../functions/core/email-code.ts';
import { DomainError } from '../../functions/core/errors.ts';
import { newSignRequest } from '../../functions/core/initiate.ts';
import type { SignRequest, Signer } from '../../functions/core/sign-request.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-02T00:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();

/** A request whose first signer is asked for a mailed code, with the codes sent at these times. */
const withEmailProof = (
  sentAt?: string[],
): { request: SignRequest; token: ReturnType<typeof freshRequest>['tokens'][0] } => {
  const { request, tokens } = freshRequest(2);
  const token = tokens[0]!;
  const signer = request.signers[token.signerId]!;
  const emailed: Signer = {
    ...signer,
    proof: { kind: 'EMAIL' },
    ...(sentAt ? { emailCode: { hash: hashEmailCode(signer, '000000'), expiresAt: at(1), sentAt } } : {}),
  };
  return { request: { ...request, signers: { ...request.signers, [token.signerId]: emailed } }, token };
};

const refusalOf = (act: () => unknown): DomainError => {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('newEmailCode', () => {
  it('draws six digits, leading zeros kept, not one fixed value', () => {
    const codes = Array.from({ length: 200 }, newEmailCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    // 200 draws from 10^6 all equal has probability 10^-1194: a constant would fail this.
    expect(new Set(codes).size).toBeGreaterThan(1);
  });
});

describe('emailCodeMatches', () => {
  const signerWith = (code: string, expiresAt: string): Signer => {
    const { request, tokens } = freshRequest(1);
    const signer = request.signers[tokens[0]!.signerId]!;
    return {
      ...signer,
      proof: { kind: 'EMAIL' },
      emailCode: { hash: hashEmailCode(signer, code), expiresAt, sentAt: [NOW] },
    };
  };

  it('matches the code whose hash is stored, until its expiry (not at it)', () => {
    const signer = signerWith('042017', at(EMAIL_CODE_VALID_MS));
    expect(emailCodeMatches(signer, '042017', NOW)).toBe(true);
    expect(emailCodeMatches(signer, '042017', at(EMAIL_CODE_VALID_MS - 1))).toBe(true);
    expect(emailCodeMatches(signer, '042017', at(EMAIL_CODE_VALID_MS))).toBe(false);
  });

  it('matches nothing else: another code, the code without its leading zero, padded, or empty', () => {
    const signer = signerWith('042017', at(EMAIL_CODE_VALID_MS));
    for (const other of ['042018', '42017', ' 042017', '0420170', ''])
      expect(emailCodeMatches(signer, other, NOW), other).toBe(false);
  });

  it('is false, never a throw, for a stored hash that is not one (another length)', () => {
    const signer = signerWith('042017', at(EMAIL_CODE_VALID_MS));
    const short = { ...signer, emailCode: { ...signer.emailCode!, hash: signer.emailCode!.hash.slice(0, 62) } };
    expect(emailCodeMatches(short, '042017', NOW)).toBe(false);
  });

  it('is false for a signer sent no code', () => {
    const { request, tokens } = freshRequest(1);
    expect(emailCodeMatches(request.signers[tokens[0]!.signerId]!, '000000', NOW)).toBe(false);
  });

  it('ties a hash to its own signer: copied onto another signer, it matches nothing', () => {
    const { request, tokens } = freshRequest(2);
    const [first, second] = tokens.map((token) => request.signers[token.signerId]!) as [Signer, Signer];
    const copied: Signer = {
      ...second,
      emailCode: { hash: hashEmailCode(first, '123456'), expiresAt: at(EMAIL_CODE_VALID_MS), sentAt: [NOW] },
    };
    expect(emailCodeMatches(copied, '123456', NOW)).toBe(false);
  });
});

describe('planCodeSend', () => {
  it('plans the first code written whole, good for 10 minutes, stored as the hash of the code', () => {
    const { request, token } = withEmailProof();
    const plan = planCodeSend(request, token, NOW, '314159');
    expect(plan).toEqual({
      signRequestId: request.id,
      signerId: token.signerId,
      at: NOW,
      hash: hashEmailCode(request.signers[token.signerId]!, '314159'),
      expiresAt: at(EMAIL_CODE_VALID_MS),
      slot: undefined,
    });
    expect(JSON.stringify(plan)).not.toContain('314159');
  });

  it('takes the next place while fewer than the limit are kept, then the oldest once it left the hour', () => {
    const one = withEmailProof([at(-1)]);
    expect(planCodeSend(one.request, one.token, NOW, '1').slot).toBe(1);
    const full = [at(-5), at(-EMAIL_CODE_WINDOW_MS), at(-3), at(-2), at(-1)];
    expect(full).toHaveLength(EMAIL_CODE_SENDS_PER_HOUR);
    const five = withEmailProof(full);
    expect(planCodeSend(five.request, five.token, NOW, '1').slot).toBe(1);
  });

  it(`refuses a send when ${EMAIL_CODE_SENDS_PER_HOUR} were made within the hour, until the oldest leaves it`, () => {
    const full = [at(-4_000), at(-EMAIL_CODE_WINDOW_MS + 90_500), at(-3_000), at(-2_000), at(-1_000)];
    const { request, token } = withEmailProof(full);
    const refusal = refusalOf(() => planCodeSend(request, token, NOW, '1'));
    expect(refusal.code).toBe('SIGNING_CODE_LIMIT');
    expect(refusal.kind).toBe('too-many');
    expect(refusal.retryAfterSeconds).toBe(91);
  });

  it('refuses a signer asked for no code, after the link: 409 SIGNING_CODE_NOT_USED', () => {
    const { request, tokens } = freshRequest(1);
    expect(refusalOf(() => planCodeSend(request, tokens[0]!, NOW, '1')).code).toBe('SIGNING_CODE_NOT_USED');
    const recalled = { ...request, status: 'CANCELLED' as const, recall: { reason: 'r', by: 'b', at: NOW } };
    expect(refusalOf(() => planCodeSend(recalled, tokens[0]!, NOW, '1')).code).toBe('SIGN_REQUEST_CANCELLED');
  });

  it('refuses a link whose secret is wrong as not found', () => {
    const { request, token } = withEmailProof();
    const forged = { ...token, secret: token.secret.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    expect(refusalOf(() => planCodeSend(request, forged, NOW, '1')).code).toBe('SIGNING_LINK_NOT_FOUND');
  });

  it('recognises its own landed send by the hash and the time it stored', () => {
    const { request, token } = withEmailProof();
    const plan = planCodeSend(request, token, NOW, '271828');
    const signer = request.signers[token.signerId]!;
    const landed = (sentAt: string[], code: string): SignRequest => ({
      ...request,
      signers: {
        ...request.signers,
        [token.signerId]: { ...signer, emailCode: { hash: hashEmailCode(signer, code), expiresAt: at(1), sentAt } },
      },
    });
    expect(isOwnCodeSend(landed([NOW], '271828'), plan)).toBe(true);
    expect(isOwnCodeSend(landed([at(1)], '271828'), plan)).toBe(false);
    expect(isOwnCodeSend(landed([NOW], '271829'), plan)).toBe(false);
    expect(isOwnCodeSend(undefined, plan)).toBe(false);
    // The signer gone (replaced or removed), or holding no code: not this send's.
    const { [token.signerId]: _gone, ...others } = request.signers;
    expect(isOwnCodeSend({ ...request, signers: others }, plan)).toBe(false);
    expect(isOwnCodeSend(request, plan)).toBe(false);
  });
});

describe('secondsUntilNextSend', () => {
  it('counts from the oldest send, at least 1', () => {
    expect(secondsUntilNextSend([at(-1_000), at(-10_000)], NOW)).toBe(EMAIL_CODE_WINDOW_MS / 1000 - 10);
    expect(secondsUntilNextSend([at(-EMAIL_CODE_WINDOW_MS)], NOW)).toBe(1);
    expect(secondsUntilNextSend([], NOW)).toBe(1);
  });
});

describe('initiate with verify: "email"', () => {
  it('stores proof EMAIL on that signer alone', () => {
    const request = newSignRequest(
      {
        appId: 'APP1',
        documentName: 'Doc.pdf',
        signers: [
          { name: 'A', email: 'a@example.com', proof: { kind: 'EMAIL' } },
          { name: 'B', email: 'b@example.com' },
        ],
      },
      'KAiZEN-1',
      NOW,
      () => 'secret',
    );
    const [first, second] = Object.values(request.signers).sort((a, b) => a.order - b.order);
    expect(first?.proof).toEqual({ kind: 'EMAIL' });
    expect(second).not.toHaveProperty('proof');
  });
});
