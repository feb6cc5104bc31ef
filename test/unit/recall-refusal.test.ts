import { describe, expect, it } from 'vitest';
import { recallRefusal } from '../../functions/core/recall.ts';
import { freshRequest } from '../support/requests.ts';

const AT = '2030-06-01T00:00:00.000Z';

describe('recallRefusal: why a recall write was refused, from the item as it stood', () => {
  it.each([
    ['CANCELLED', 409, 'SIGN_REQUEST_ALREADY_CANCELLED', 'This request is already cancelled'],
    ['COMPLETED', 409, 'SIGN_REQUEST_COMPLETED', 'This request is already cancelled'],
    ['EXPIRED', 409, 'SIGN_REQUEST_EXPIRED', 'This request has expired'],
    ['DECLINED', 409, 'SIGN_REQUEST_DECLINED', 'This request is already cancelled'],
  ] as const)('a %s request is refused as a conflict with %s', (status, _http, code, message) => {
    const { request } = freshRequest(1, { status });
    const refusal = recallRefusal(request, 'APP1', AT);
    expect(refusal?.kind).toBe('conflict');
    expect(refusal?.rules).toEqual([{ Code: code, Message: message }]);
  });

  it('a missing request and another app’s request give the same not-found refusal', () => {
    const { request } = freshRequest(1, { status: 'COMPLETED' });
    const missing = recallRefusal(undefined, 'APP1', AT);
    const foreign = recallRefusal(request, 'SOMEONE-ELSE', AT);
    expect(missing?.rules).toEqual([{ Code: 'SIGN_REQUEST_NOT_FOUND', Message: 'No sign request found' }]);
    expect(foreign?.rules).toEqual(missing?.rules);
    expect(foreign?.kind).toBe('not-found');
  });

  it('refuses an open request signed by all (its completion a write away) as completed', () => {
    const { request } = freshRequest(2, { status: 'PARTIALLY_SIGNED', signedCount: 2 });
    expect(recallRefusal(request, 'APP1', AT)?.code).toBe('SIGN_REQUEST_COMPLETED');
  });

  it('refuses an open request past its deadline as expired, before the expiry job has caught up', () => {
    const { request } = freshRequest(1, { expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(recallRefusal(request, 'APP1', AT)?.code).toBe('SIGN_REQUEST_EXPIRED');
    expect(recallRefusal(request, 'APP1', '2029-12-31T23:59:59.999Z')).toBeUndefined();
  });

  it('asks for another try, with a fresh time, when nothing refuses the recall but its time was too early', () => {
    const { request } = freshRequest(1, { updatedAt: '2030-06-01T00:00:00.000Z' });
    expect(recallRefusal(request, 'APP1', AT)).toBeUndefined();
  });
});
