import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tableDefinition } from '../../functions/store/table.ts';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { storeCredentials } from '../../functions/wiring/store-access.ts';

export interface EmbeddedStore {
  endpoint: string;
  close: () => Promise<void>;
}

/**
 * The embedded DynamoDB-compatible server (dynalite): the real DynamoDB API with real conditional writes, on
 * loopback only. `dataDir` keeps the data on disk between runs; leave it out to keep everything in memory.
 */
export const startEmbeddedStore = async (options: { port: number; dataDir?: string }): Promise<EmbeddedStore> => {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  server.listen(options.port, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

/**
 * A client for the store at `endpoint`, with the functions' rule for credentials (storeCredentials): placeholders
 * unless AWS_ACCESS_KEY_ID is set, then the SDK's own. Used by local tools only, so its calls keep the SDK defaults.
 */
export const localStoreClient = (endpoint: string, region = 'us-east-1'): DynamoDBClient => {
  const credentials = storeCredentials(endpoint, readEnvironment());
  return new DynamoDBClient({ endpoint, region, ...(credentials ? { credentials } : {}) });
};

/** ensureTable on the store at `endpoint`, with a client of its own that it closes afterwards. */
export const ensureLocalTable = async (endpoint: string, tableName: string, region?: string) => {
  const client = localStoreClient(endpoint, region);
  try {
    return await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
};

/**
 * Creates the table as CDK defines it, unless it exists already, and returns once it can be used: the embedded
 * store makes a table at once, DynamoDB Local and a real DynamoDB take a moment (the first check is immediate).
 */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<'created' | 'existing'> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existing';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(new CreateTableCommand(tableDefinition(tableName)));
  await waitUntilTableExists({ client, minDelay: 1, maxDelay: 5, maxWaitTime: 300 }, { TableName: tableName });
  return 'created';
};
