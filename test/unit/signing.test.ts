import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { ownSignature, planFirstView, planSignature } from '../../functions/core/signing.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-01-02T00:00:00.000Z';

const refusalCode = (act: () => unknown): string => {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('planSignature', () => {
  it('puts the caller’s evidence and the document’s hash on the SIGNED entry alone, not on COMPLETED', () => {
    const sha256 = 'ab'.repeat(32);
    const document = { name: 'MSA.pdf', sha256, size: 1234, pages: 2, key: 'documents/app/id/original.pdf' };
    const { request, tokens } = freshRequest(1, { document });
    const evidence = { ip: '203.0.113.7', userAgent: 'Browser/1.0' };
    const plan = planSignature(request, tokens[0]!, NOW, undefined, 'call-1', evidence);
    expect(plan.history).toEqual([
      { at: plan.at, event: 'SIGNED', signerId: tokens[0]!.signerId, ...evidence, documentSha256: sha256 },
      { at: plan.at, event: 'COMPLETED' },
    ]);
  });

  it('records no hash for a request without a document, and no evidence it was not given', () => {
    const { request, tokens } = freshRequest(2);
    const [signed] = planSignature(request, tokens[0]!, NOW, undefined, 'call-1').history;
    expect(signed).toEqual({ at: NOW, event: 'SIGNED', signerId: tokens[0]!.signerId });
  });

  it('plans a signature of this signer alone, with the name they typed', () => {
    const { request, tokens } = freshRequest(2);
    const plan = planSignature(request, tokens[0]!, NOW, 'Jane Q. Signer', 'call-1');
    expect(plan).toEqual({
      signRequestId: request.id,
      signerId: tokens[0]!.signerId,
      at: NOW,
      signedName: 'Jane Q. Signer',
      history: [{ at: NOW, event: 'SIGNED', signerId: tokens[0]!.signerId }],
      callId: 'call-1',
      lastButOne: 1,
      completes: false,
      // The other signer of its one group is pending: it leaves one of the group to sign.
      group: { completes: false },
    });
  });

  it('plans the last signature as the one that completes the request, in the same write', () => {
    const { request, tokens } = freshRequest(2, { signedCount: 1, status: 'PARTIALLY_SIGNED' });
    const plan = planSignature(request, tokens[1]!, NOW, undefined, 'call-2');
    expect(plan).toMatchObject({
      completes: true,
      lastButOne: 1,
      history: [
        { at: NOW, event: 'SIGNED', signerId: tokens[1]!.signerId },
        { at: NOW, event: 'COMPLETED' },
      ],
    });
  });

  it('stamps a signature just after the request’s last change when this clock is behind it', () => {
    const ahead = new Date(Date.parse(NOW) + 5_000).toISOString();
    const { request, tokens } = freshRequest(2, { updatedAt: ahead });
    expect(planSignature(request, tokens[0]!, NOW, undefined).at).toBe(new Date(Date.parse(ahead) + 1).toISOString());
  });

  it('signs in the name the app gave when the signer types none', () => {
    const { request, tokens } = freshRequest(2, { signedCount: 1, status: 'PARTIALLY_SIGNED' });
    expect(planSignature(request, tokens[1]!, NOW, undefined).signedName).toBe('S1');
  });

  it('refuses an open request whose every signer has signed as completed', () => {
    const { request, tokens } = freshRequest(2, { signedCount: 2, status: 'PARTIALLY_SIGNED' });
    expect(refusalCode(() => planSignature(request, tokens[1]!, NOW, undefined))).toBe('SIGN_REQUEST_COMPLETED');
  });

  it('refuses a recalled request with 410, naming when and why', () => {
    const { request, tokens } = freshRequest(2, {
      status: 'CANCELLED',
      recall: { reason: 'Wrong file', by: 'Ops', at: '2030-01-01T12:00:00.000Z' },
    });
    const act = () => planSignature(request, tokens[0]!, NOW, undefined);
    expect(refusalCode(act)).toBe('SIGN_REQUEST_CANCELLED');
    expect(act).toThrow(/Wrong file/);
  });

  it('refuses an expired request, and one past its deadline that the expiry job has not reached yet', () => {
    const expired = freshRequest(1, { status: 'EXPIRED' });
    expect(refusalCode(() => planSignature(expired.request, expired.tokens[0]!, NOW, undefined))).toBe(
      'SIGN_REQUEST_EXPIRED',
    );
    const late = freshRequest(1, { expiresAt: '2030-01-01T23:59:59.000Z' });
    expect(refusalCode(() => planSignature(late.request, late.tokens[0]!, NOW, undefined))).toBe(
      'SIGN_REQUEST_EXPIRED',
    );
    const early = freshRequest(1, { expiresAt: '2030-01-02T00:00:01.000Z' });
    expect(planSignature(early.request, early.tokens[0]!, NOW, undefined).signerId).toBe(early.tokens[0]!.signerId);
  });

  it('refuses a signer who has signed already', () => {
    const { request, tokens } = freshRequest(2);
    const signerId = tokens[0]!.signerId;
    const signed = {
      ...request,
      signers: {
        ...request.signers,
        [signerId]: { ...request.signers[signerId]!, status: 'SIGNED' as const, signedAt: NOW },
      },
    };
    expect(refusalCode(() => planSignature(signed, tokens[0]!, NOW, undefined))).toBe('ALREADY_SIGNED');
  });

  it('refuses a token whose secret or signer does not match, and a missing request, alike', () => {
    const { request, tokens } = freshRequest(1);
    const token = tokens[0]!;
    const forged = { ...token, secret: `${token.secret.slice(0, -1)}${token.secret.endsWith('A') ? 'B' : 'A'}` };
    expect(refusalCode(() => planSignature(request, forged, NOW, undefined))).toBe('SIGNING_LINK_NOT_FOUND');
    expect(refusalCode(() => planSignature(request, { ...token, signerId: request.id }, NOW, undefined))).toBe(
      'SIGNING_LINK_NOT_FOUND',
    );
    expect(refusalCode(() => planSignature(undefined, token, NOW, undefined))).toBe('SIGNING_LINK_NOT_FOUND');
  });
});

describe('planFirstView: evidence', () => {
  it('records the first open’s evidence on its VIEWED entry', () => {
    const { request, tokens } = freshRequest(2);
    const evidence = { ip: '2001:db8::7', userAgent: 'Browser/1.0' };
    const { firstView } = planFirstView(request, tokens[1]!, NOW, evidence);
    expect(firstView?.history).toEqual([{ at: NOW, event: 'VIEWED', signerId: tokens[1]!.signerId, ...evidence }]);
  });
});

describe('planFirstView', () => {
  it('plans a write for the first open only', () => {
    const { request, tokens } = freshRequest(1);
    const first = planFirstView(request, tokens[0]!, NOW);
    expect(first.firstView).toMatchObject({ at: NOW, history: [{ event: 'VIEWED' }] });
    const signerId = tokens[0]!.signerId;
    const viewed = { ...request, signers: { [signerId]: { ...request.signers[signerId]!, viewedAt: NOW } } };
    expect(planFirstView(viewed, tokens[0]!, NOW).firstView).toBeUndefined();
  });

  it('shows a completed request without writing, and refuses a recalled one', () => {
    const { request, tokens } = freshRequest(1, { status: 'COMPLETED' });
    const signerId = tokens[0]!.signerId;
    const done = { ...request, signers: { [signerId]: { ...request.signers[signerId]!, status: 'SIGNED' as const } } };
    expect(planFirstView(done, tokens[0]!, NOW).firstView).toBeUndefined();
    const recalled = { ...request, status: 'CANCELLED' as const };
    expect(refusalCode(() => planFirstView(recalled, tokens[0]!, NOW))).toBe('SIGN_REQUEST_CANCELLED');
  });
});

describe('which refusal a signer’s link meets first', () => {
  const PAST = '2030-01-01T00:00:00.000Z';

  it('recalled before declined, declined before expired, expired before signed, signed before completed', () => {
    const { request, tokens } = freshRequest(2);
    const signerId = tokens[0]!.signerId;
    const signedByMe = {
      ...request,
      signedCount: 2,
      signers: {
        ...request.signers,
        [signerId]: { ...request.signers[signerId]!, status: 'SIGNED' as const, signedAt: NOW },
      },
    };
    const sign = (current: SignRequest) => refusalCode(() => planSignature(current, tokens[0]!, NOW, undefined));
    const recall = { reason: 'Wrong file', by: 'Ops', at: PAST };
    const decline = { signerId: tokens[1]!.signerId, reason: 'No', at: PAST };
    expect(sign({ ...signedByMe, status: 'CANCELLED', recall, decline, expiresAt: PAST })).toBe(
      'SIGN_REQUEST_CANCELLED',
    );
    expect(sign({ ...signedByMe, status: 'DECLINED', decline, expiresAt: PAST })).toBe('SIGN_REQUEST_DECLINED');
    expect(sign({ ...signedByMe, status: 'EXPIRED' })).toBe('SIGN_REQUEST_EXPIRED');
    expect(sign({ ...signedByMe, expiresAt: PAST })).toBe('SIGN_REQUEST_EXPIRED');
    expect(sign({ ...signedByMe, status: 'COMPLETED' })).toBe('ALREADY_SIGNED');
    expect(sign({ ...request, status: 'COMPLETED' })).toBe('SIGN_REQUEST_COMPLETED');
  });

  it('a recall says when and why, from its record, or from the last change when the record is missing', () => {
    const { request, tokens } = freshRequest(1, { status: 'CANCELLED', updatedAt: '2030-01-01T08:00:00.000Z' });
    const refused = (current: SignRequest) => {
      try {
        planSignature(current, tokens[0]!, NOW, undefined);
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('expected a refusal');
    };
    const recalled = refused({
      ...request,
      recall: { reason: 'Wrong file', by: 'Ops', at: '2030-01-01T12:00:00.000Z' },
    });
    expect(recalled.kind).toBe('gone');
    expect(recalled.rules[0]?.Message).toBe(
      'This request was recalled by the sender on 2030-01-01T12:00:00.000Z: Wrong file',
    );
    expect(refused(request).rules[0]?.Message).toBe(
      'This request was recalled by the sender on 2030-01-01T08:00:00.000Z: recalled',
    );
  });

  it('a deadline at the very time of the signature has passed; one a millisecond later has not', () => {
    const { request, tokens } = freshRequest(1, { expiresAt: NOW });
    expect(refusalCode(() => planSignature(request, tokens[0]!, NOW, undefined))).toBe('SIGN_REQUEST_EXPIRED');
    const later = { ...request, expiresAt: new Date(Date.parse(NOW) + 1).toISOString() };
    expect(planSignature(later, tokens[0]!, NOW, undefined).completes).toBe(true);
  });
});

describe('ownSignature: a retried write recognises the signature its lost answer had landed', () => {
  const { request, tokens } = freshRequest(2);
  const signerId = tokens[0]!.signerId;
  const withSigner = (status: 'SIGNED' | 'PENDING', callId: string) => ({
    ...request,
    signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, status, callId } },
  });

  it('answers the status this signature’s write set, by the call’s token on the signer', () => {
    const plan = planSignature(request, tokens[0]!, NOW, undefined, 'mine');
    expect(ownSignature(withSigner('SIGNED', 'mine'), plan)).toBe('PARTIALLY_SIGNED');
    expect(ownSignature(withSigner('SIGNED', 'mine'), { ...plan, completes: true })).toBe('COMPLETED');
  });

  it('knows no signature of another call, nor a signer still pending, nor a request gone', () => {
    const plan = planSignature(request, tokens[0]!, NOW, undefined, 'mine');
    expect(ownSignature(withSigner('SIGNED', 'theirs'), plan)).toBeUndefined();
    expect(ownSignature(withSigner('PENDING', 'mine'), plan)).toBeUndefined();
    expect(ownSignature(undefined, plan)).toBeUndefined();
  });
});

describe('planFirstView: what a first open records and what it meets', () => {
  it('records this signer’s first view after the last change', () => {
    const ahead = new Date(Date.parse(NOW) + 5_000).toISOString();
    const { request, tokens } = freshRequest(2, { updatedAt: ahead });
    const opened = planFirstView(request, tokens[1]!, NOW);
    const at = new Date(Date.parse(ahead) + 1).toISOString();
    expect(opened).toEqual({
      request,
      signer: request.signers[tokens[1]!.signerId],
      firstView: {
        signRequestId: request.id,
        signerId: tokens[1]!.signerId,
        at,
        history: [{ at, event: 'VIEWED', signerId: tokens[1]!.signerId }],
      },
    });
  });

  it('writes nothing for a signer who signed already, even on an open request', () => {
    const { request, tokens } = freshRequest(2, { status: 'PARTIALLY_SIGNED', signedCount: 1 });
    const signerId = tokens[0]!.signerId;
    const signed = {
      ...request,
      signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, status: 'SIGNED' as const } },
    };
    expect(planFirstView(signed, tokens[0]!, NOW)).toEqual({ request: signed, signer: signed.signers[signerId] });
  });

  it('refuses a declined request as declined to every signer (the decliner too), and an expired one', () => {
    const { request, tokens } = freshRequest(2);
    const decline = { signerId: tokens[0]!.signerId, reason: 'No', at: NOW };
    const declined = { ...request, status: 'DECLINED' as const, decline };
    expect(refusalCode(() => planFirstView(declined, tokens[0]!, NOW))).toBe('SIGN_REQUEST_DECLINED');
    expect(refusalCode(() => planFirstView(declined, tokens[1]!, NOW))).toBe('SIGN_REQUEST_DECLINED');
    expect(refusalCode(() => planFirstView({ ...request, expiresAt: NOW }, tokens[0]!, NOW))).toBe(
      'SIGN_REQUEST_EXPIRED',
    );
    expect(refusalCode(() => planFirstView(undefined, tokens[0]!, NOW))).toBe('SIGNING_LINK_NOT_FOUND');
  });
});
