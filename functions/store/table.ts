import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Attribute and index names of the one table; CDK and the local store both build the table from these. */
export const TableKeys = { partitionKey: 'pk', sortKey: 'sk' } as const;
export const Gsi1 = { indexName: 'GSI1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
export const Gsi2 = { indexName: 'GSI2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' } as const;
export const Gsi3 = { indexName: 'GSI3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' } as const;
export const TTL_ATTRIBUTE = 'expiresAtEpoch';

/**
 * The only attributes GSI1 copies besides the keys: what a list item shows (functions/store/app-requests.ts).
 * A write that changes none of them (a first view, a history entry alone) costs the index nothing more, and no
 * signer, email or history is ever copied to it. Never change it on a deployed stage: CloudFormation cannot
 * update a GSI's projection in place. What a list shows beyond it is read from the items (store/current-orders.ts).
 */
export const APP_REQUESTS_PROJECTION = [
  'requestNo',
  'status',
  'documentName',
  'createdAt',
  'updatedAt',
  'expiresAt',
  'signerCount',
  'signedCount',
] as const;

/** How long an Idempotency-Key is remembered, as Dropbox Sign does: a retry within a day gets the first answer. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export const tableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    TableKeys.partitionKey,
    TableKeys.sortKey,
    Gsi1.partitionKey,
    Gsi1.sortKey,
    Gsi2.partitionKey,
    Gsi2.sortKey,
    Gsi3.partitionKey,
    Gsi3.sortKey,
  ].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
  KeySchema: [
    { AttributeName: TableKeys.partitionKey, KeyType: 'HASH' },
    { AttributeName: TableKeys.sortKey, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: Gsi1.indexName,
      KeySchema: [
        { AttributeName: Gsi1.partitionKey, KeyType: 'HASH' },
        { AttributeName: Gsi1.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...APP_REQUESTS_PROJECTION] },
    },
    {
      // Sparse: only open requests with a deadline carry its keys, so the expiry job reads only what is due.
      IndexName: Gsi2.indexName,
      KeySchema: [
        { AttributeName: Gsi2.partitionKey, KeyType: 'HASH' },
        { AttributeName: Gsi2.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
    {
      // Sparse: only requests asking for automatic reminders carry its keys, by when the next one falls due.
      IndexName: Gsi3.indexName,
      KeySchema: [
        { AttributeName: Gsi3.partitionKey, KeyType: 'HASH' },
        { AttributeName: Gsi3.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    },
  ],
});
