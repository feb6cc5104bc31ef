import { describe, expect, it } from 'vitest';
import { ownSignRequest } from '../../functions/workflows/own-request.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

describe('ownSignRequest', () => {
  const { request } = freshRequest(1);
  const store = new FakeSignRequests(request);

  it("answers the app's own request as stored", async () => {
    await expect(ownSignRequest(store, request.id, request.appId)).resolves.toEqual(request);
  });

  it("refuses another app's request exactly as a missing one", async () => {
    const foreign = await ownSignRequest(store, request.id, 'another-app').catch((error: unknown) => error);
    const missing = await ownSignRequest(store, '01M95PHKT0K5THS8GAVN9BPN06', request.appId).catch(
      (error: unknown) => error,
    );
    expect(foreign).toMatchObject({ code: 'SIGN_REQUEST_NOT_FOUND' });
    expect(foreign).toEqual(missing);
  });

  it('refuses a value that is no id without asking the store', async () => {
    const asked: string[] = [];
    const counting = { get: (id: string) => (asked.push(id), store.get(id)) };
    await expect(ownSignRequest(counting, 'recall', request.appId)).rejects.toMatchObject({
      code: 'SIGN_REQUEST_NOT_FOUND',
    });
    expect(asked).toEqual([]);
  });
});
