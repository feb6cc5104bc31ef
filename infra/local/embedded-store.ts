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
  const endpoint = `http://127.0.0.1:${port}`;
  if (options.dataDir) {
    try {
      await expectDataDirOpen(endpoint, options.dataDir);
    } catch (error) {
      server.closeAllConnections();
      server.close();
      throw error;
    }
  }
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

/** The embedded store's data folder is held by another process (another `npm start`, or `npm run app`). */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string) {
    super(`the embedded store's data in ${dataDir} is held by another process`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * dynalite opens its LevelDB folder in the background; when another process holds the folder's lock, the first
 * request makes it throw "Database is closed" out of a callback, uncaught, killing the process with a stack. One
 * probe request, with that one exception caught while it runs, turns this into a DataDirInUseError.
 */
const expectDataDirOpen = async (endpoint: string, dataDir: string): Promise<void> => {
  const client = localStoreClient(endpoint);
  let onUncaught: ((error: Error) => void) | undefined;
  const locked = new Promise<never>((_resolve, reject) => {
    onUncaught = (error: Error) => {
      if (error.message !== 'Database is closed') throw error;
      reject(new DataDirInUseError(dataDir));
    };
    process.on('uncaughtException', onUncaught);
  });
  try {
    const probe = client.send(new DescribeTableCommand({ TableName: 'esign-recall-open-probe' })).then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      },
    );
    await Promise.race([probe, locked]);
  } finally {
    if (onUncaught) process.removeListener('uncaughtException', onUncaught);
    client.destroy();
  }
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
