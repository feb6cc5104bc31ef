import { randomUUID } from 'node:crypto';
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localStoreClient } from './embedded-store.ts';

type Image = Record<string, AttributeValue>;
type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand']);
const NAME = 'dynamodbStreamStandIn';

export interface StreamStandIn {
  /** Resolves once every record so far has been handed to the consumer and the consumer has finished. */
  idle(): Promise<void>;
  uninstall(): void;
}

/**
 * The local stand-in for DynamoDB Streams (dynalite has none): after each successful write to the table it
 * builds the stream record AWS would (old and new image, NEW_AND_OLD_IMAGES) and feeds it to `consume`, the
 * very publisher Lambda runs, in write order and never on the writer's time.
 *
 * The images are read around the write with a per-item lock, so they are exact as long as this process is
 * the only writer of request items, which it is under `npm start` and in the tests.
 */
export const installStreamStandIn = (
  documentClient: DynamoDBDocumentClient,
  options: { endpoint: string; region: string; consume: (event: DynamoDBStreamEvent) => Promise<unknown> },
): StreamStandIn => {
  // A client of its own: its reads are the stand-in's, not the service's, and must not pass through this middleware.
  const reader = localStoreClient(options.endpoint, options.region);
  const itemLocks = new Map<string, Promise<unknown>>();
  let delivery: Promise<unknown> = Promise.resolve();
  let sequence = 0;

  const read = async (tableName: string, key: Image) =>
    (await reader.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;

  const emit = (tableName: string, key: Image, before: Image | undefined, after: Image | undefined) => {
    if (JSON.stringify(before) === JSON.stringify(after)) return; // DynamoDB writes no record for a no-op.
    const record: DynamoDBRecord = {
      eventID: randomUUID(),
      eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: options.region,
      eventSourceARN: `arn:aws:dynamodb:${options.region}:000000000000:table/${tableName}/stream/local`,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: key as StreamImage,
        ...(before ? { OldImage: before as StreamImage } : {}),
        ...(after ? { NewImage: after as StreamImage } : {}),
        SequenceNumber: String(++sequence).padStart(21, '0'),
        SizeBytes: JSON.stringify(after ?? before).length,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    delivery = delivery.then(() => options.consume({ Records: [record] })).catch(() => undefined);
  };

  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TableName?: string; Item?: Image; Key?: Image };
      if (!WRITES.has(context.commandName ?? '') || !input.TableName) return next(args);
      const source = input.Key ?? input.Item ?? {};
      const key: Image = { pk: source.pk ?? { S: '' }, sk: source.sk ?? { S: '' } };
      const lockKey = `${input.TableName}/${JSON.stringify(key)}`;
      const previous = itemLocks.get(lockKey) ?? Promise.resolve();
      let release: () => void = () => undefined;
      const lock = new Promise<void>((resolve) => (release = resolve));
      const chained = previous.then(() => lock);
      itemLocks.set(lockKey, chained);
      await previous;
      try {
        const before = await read(input.TableName, key);
        const result = await next(args);
        emit(input.TableName, key, before, await read(input.TableName, key));
        return result;
      } finally {
        release();
        if (itemLocks.get(lockKey) === chained) itemLocks.delete(lockKey);
      }
    },
    // After the document client has marshalled the input, so keys and items are in the wire format.
    { step: 'build', name: NAME },
  );

  return {
    idle: async () => {
      let seen: Promise<unknown> | undefined;
      while (seen !== delivery) {
        seen = delivery;
        await delivery;
      }
    },
    uninstall: () => {
      documentClient.middlewareStack.remove(NAME);
      reader.destroy();
    },
  };
};
