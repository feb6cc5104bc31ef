import { existsSync } from 'node:fs';
import path from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { LOCAL_TABLE_NAME } from '../../functions/config.ts';
import type { Environment } from '../../functions/runtime/environment.ts';
import { DataDirInUseError, ensureLocalTable, localStoreClient, startEmbeddedStore } from '../local/embedded-store.ts';
import { runningInstanceOn } from '../local/running-instance.ts';

/** The store `npm run app` works on: the settings the admin dependencies take, and what to say it is. */
export type StoreChoice =
  { ok: true; env: Environment; description: string; close: () => Promise<void> } | { ok: false; message: string };

const NAME_ONE =
  'Start it with `npm start` (in another shell), or name a store: DYNAMODB_ENDPOINT=<URL>, or --aws with TABLE_NAME for a deployed stack.';

const chosen = (env: Environment, description: string, close = () => Promise.resolve()): StoreChoice => ({
  ok: true,
  env,
  description,
  close,
});

/** Whether a DynamoDB-compatible store answers at `endpoint` with the table: the one way to find a memory-mode store. */
const answersWithTable = async (endpoint: string, tableName: string): Promise<boolean> => {
  const client = localStoreClient(endpoint);
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal: AbortSignal.timeout(3_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
};

/**
 * Which store the admin command uses. Told: `--aws` (DynamoDB in AWS, with TABLE_NAME, the stack's table) or
 * DYNAMODB_ENDPOINT. Otherwise the local store `npm start` uses: the running `npm start`'s on its DATA_DIR, else
 * the DATA_DIR's data opened here (npm start is not running), else, for DATA_DIR=memory, the store at
 * DYNAMODB_PORT. Never AWS unless asked: a newcomer's `npm run app -- create` must not go looking for credentials.
 */
export const chooseStore = async (shell: Environment, aws: boolean): Promise<StoreChoice> => {
  const tableName = shell.TABLE_NAME || LOCAL_TABLE_NAME;
  const endpoint = shell.DYNAMODB_ENDPOINT || undefined;
  if (aws) {
    if (endpoint) return { ok: false, message: '--aws and DYNAMODB_ENDPOINT name two stores: give one of them.' };
    if (!shell.TABLE_NAME)
      return { ok: false, message: "--aws needs TABLE_NAME: the deployed stack's TableName output." };
    return chosen({ ...shell, DYNAMODB_ENDPOINT: undefined }, `DynamoDB in AWS (${shell.AWS_REGION ?? 'us-east-1'})`);
  }
  if (endpoint) return chosen({ ...shell, TABLE_NAME: tableName }, `the store at DYNAMODB_ENDPOINT ${endpoint}`);

  const dataDir = shell.DATA_DIR ?? '.data';
  if (dataDir === 'memory') {
    const local = `http://127.0.0.1:${shell.DYNAMODB_PORT ?? 8000}`;
    if (await answersWithTable(local, tableName)) {
      return chosen({ ...shell, TABLE_NAME: tableName, DYNAMODB_ENDPOINT: local }, `npm start's store at ${local}`);
    }
    return {
      ok: false,
      message: `No npm start store answers at ${local} (DYNAMODB_PORT) with table ${tableName}. ${NAME_ONE}`,
    };
  }
  const running = await runningInstanceOn(dataDir);
  if (running) {
    return chosen(
      { ...shell, TABLE_NAME: shell.TABLE_NAME || running.tableName, DYNAMODB_ENDPOINT: running.storeEndpoint },
      `npm start's store at ${running.storeEndpoint} (pid ${running.pid}, DATA_DIR ${dataDir})`,
    );
  }
  const storeDir = path.join(dataDir, 'dynamodb');
  if (!existsSync(storeDir)) {
    return {
      ok: false,
      message: `No local store: npm start is not running and DATA_DIR ${dataDir} holds none. ${NAME_ONE}`,
    };
  }
  try {
    const store = await startEmbeddedStore({ port: 0, dataDir: storeDir });
    await ensureLocalTable(store.endpoint, tableName, shell.AWS_REGION);
    return chosen(
      { ...shell, TABLE_NAME: tableName, DYNAMODB_ENDPOINT: store.endpoint },
      `the embedded store's data in ${dataDir} (npm start is not running)`,
      store.close,
    );
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    return {
      ok: false,
      message:
        `DATA_DIR ${dataDir} is held by another process, probably an npm start that did not record its store: ` +
        'set DYNAMODB_ENDPOINT=http://127.0.0.1:<its DYNAMODB_PORT>.',
    };
  }
};
