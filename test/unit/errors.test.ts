import { describe, expect, it } from 'vitest';
import { DomainError, refusals } from '../../functions/core/errors.ts';
import { formatRequestNo } from '../../functions/core/request-no.ts';

describe('DomainError', () => {
  it('names itself and says every rule, code first, in its message', () => {
    const error = new DomainError('bad-request', [
      { Code: 'A', Message: 'first' },
      { Code: 'B', Message: 'second', Field: 'x' },
    ]);
    expect(error.name).toBe('DomainError');
    expect(error.message).toBe('A: first; B: second');
    expect(error.code).toBe('A');
    expect(error).toBeInstanceOf(Error);
  });

  it('has the code UNKNOWN when it holds no rule', () => {
    expect(new DomainError('conflict', []).code).toBe('UNKNOWN');
  });

  it('carries how long to wait on the refusals that are about time', () => {
    expect(refusals.remindTooSoon(42)).toMatchObject({ kind: 'too-many', retryAfterSeconds: 42 });
    expect(refusals.remindTooSoon(42).message).toContain('try again in 42 seconds');
    expect(refusals.mailCapReached(500, 7)).toMatchObject({ kind: 'too-many', retryAfterSeconds: 7 });
    expect(refusals.mailCapReached(500, 7).message).toContain('limit of 500 e-mails a day');
    expect(refusals.alreadyCancelled().retryAfterSeconds).toBeUndefined();
  });

  it('gives one VALIDATION_FAILED rule per field', () => {
    const error = refusals.validationFailed([
      { field: 'signers', message: 'too few' },
      { field: 'documentName', message: 'empty' },
    ]);
    expect(error.kind).toBe('bad-request');
    expect(error.rules).toEqual([
      { Code: 'VALIDATION_FAILED', Message: 'too few', Field: 'signers' },
      { Code: 'VALIDATION_FAILED', Message: 'empty', Field: 'documentName' },
    ]);
  });
});

describe('formatRequestNo', () => {
  it('joins the app’s prefix and the number with a dash', () => {
    expect(formatRequestNo('KAiZEN', 118)).toBe('KAiZEN-118');
    expect(formatRequestNo('ACME', 1)).toBe('ACME-1');
  });
});
