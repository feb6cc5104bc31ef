import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Attribute and index names of the one table; CDK and the local store both build the table from these. */
export const TableKeys = { partitionKey: 'pk', sortKey: 'sk' } as const;
export const Gsi1 = { indexName: 'GSI1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
export const TTL_ATTRIBUTE = 'expiresAtEpoch';

export const tableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [TableKeys.partitionKey, TableKeys.sortKey, Gsi1.partitionKey, Gsi1.sortKey].map(
    (AttributeName) => ({ AttributeName, AttributeType: 'S' }),
  ),
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
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});
