import { describe, expect, it } from 'vitest';
import { recallRefusal } from '../../functions/core/recall.ts';
import { freshRequest } from '../support/requests.ts';

describe('recallRefusal: why a recall write was refused, from the item as it stood', () => {
  it.each([
    ['CANCELLED', 409, 'SIGN_REQUEST_ALREADY_CANCELLED', 'This request is already cancelled'],
    ['COMPLETED', 409, 'SIGN_REQUEST_COMPLETED', 'This request is already cancelled'],
    ['EXPIRED', 409, 'SIGN_REQUEST_EXPIRED', 'This request has expired'],
  ] as const)('a %s request is refused as a conflict with %s', (status, _http, code, message) => {
    const { request } = freshRequest(1, { status });
    const refusal = recallRefusal(request, 'APP1');
    expect(refusal.kind).toBe('conflict');
    expect(refusal.rules).toEqual([{ Code: code, Message: message }]);
  });

  it('a missing request and another app’s request give the same not-found refusal', () => {
    const { request } = freshRequest(1, { status: 'COMPLETED' });
    const missing = recallRefusal(undefined, 'APP1');
    const foreign = recallRefusal(request, 'SOMEONE-ELSE');
    expect(missing.rules).toEqual([{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }]);
    expect(foreign.rules).toEqual(missing.rules);
    expect(foreign.kind).toBe('not-found');
  });

  it('treats a refused write on a still-open request as a broken invariant, not a refusal', () => {
    const { request } = freshRequest(1);
    expect(() => recallRefusal(request, 'APP1')).toThrow(/invariant|refused while/);
  });
});
