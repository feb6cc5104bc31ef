import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { SignRequestStore } from '../../functions/store/sign-requests.ts';
import { toItem } from '../../functions/store/sign-request-items.ts';
import { recallSignRequest } from '../../functions/workflows/recall.ts';
import { freshRequest } from '../support/requests.ts';

/**
 * In AWS a refused recall gets the item back with the failure (ReturnValuesOnConditionCheckFailure); dynalite
 * never does, so this path is exercised here with a client that refuses the way DynamoDB does.
 */
const refusingClient = (item: Record<string, unknown>) => {
  const sent: string[] = [];
  const client = {
    send: (command: { constructor: { name: string } }) => {
      sent.push(command.constructor.name);
      return Promise.reject(
        new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
          Item: marshall(item, { removeUndefinedValues: true }),
        }),
      );
    },
  };
  // Only `send` is used by the store; the rest of the client does not matter to this path.
  return { client: client as unknown as DynamoDBDocumentClient, sent };
};

describe('a refused recall classified from the old item DynamoDB returns', () => {
  it('refuses a completed request as completed, with no second call', async () => {
    const { request } = freshRequest(1, { status: 'COMPLETED', signedCount: 1 });
    const { client, sent } = refusingClient(toItem(request));
    const signRequests = new SignRequestStore(client, 'table');
    await expect(
      recallSignRequest({ signRequests }, { signRequestId: request.id, appId: request.appId, reason: 'r', by: 'b' }),
    ).rejects.toMatchObject({ code: 'SIGN_REQUEST_COMPLETED' });
    expect(sent).toEqual(['UpdateCommand']);
  });

  it("refuses another app's request exactly like a missing one", async () => {
    const { request } = freshRequest(1, { status: 'COMPLETED', signedCount: 1 });
    const { client } = refusingClient(toItem(request));
    const signRequests = new SignRequestStore(client, 'table');
    await expect(
      recallSignRequest({ signRequests }, { signRequestId: request.id, appId: 'ANOTHER-APP', reason: 'r', by: 'b' }),
    ).rejects.toMatchObject({ code: 'SIGN_REQUEST_NOT_FOUND' });
  });

  it('answers a refused write as { ok: false, current } from the returned item, in one call', async () => {
    const { request } = freshRequest(2, { status: 'CANCELLED' });
    const { client, sent } = refusingClient(toItem(request));
    const signRequests = new SignRequestStore(client, 'table');
    for (const write of [
      () => signRequests.recall(request.id, request.appId, { reason: 'r', by: 'b', at: request.createdAt }),
      () => signRequests.expire(request.id, request.createdAt),
      () => signRequests.create(request),
    ]) {
      expect(await write()).toEqual({ ok: false, current: request });
    }
    expect(sent).toEqual(['UpdateCommand', 'UpdateCommand', 'PutCommand']);
  });
});
