import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What a running `npm start` leaves in its DATA_DIR, so that a second `npm start` can say that one is running
 * instead of crashing on the store's locked data, and `npm run app` can find the store it serves.
 */
export interface RunningInstance {
  pid: number;
  apiPort: number;
  storeEndpoint: string;
  tableName: string;
}

const FILE_NAME = 'npm-start.json';
const fileOf = (dataDir: string) => path.join(dataDir, FILE_NAME);

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is another user's; it still holds the directory.
    return (error as { code?: unknown }).code === 'EPERM';
  }
};

const isRunningInstance = (value: unknown): value is RunningInstance => {
  const v = value as Partial<RunningInstance> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(v.pid) &&
    Number.isInteger(v.apiPort) &&
    typeof v.storeEndpoint === 'string' &&
    typeof v.tableName === 'string'
  );
};

/** The `npm start` running on `dataDir`, or undefined (none recorded, or the one recorded has stopped). */
export const runningInstanceOn = async (dataDir: string): Promise<RunningInstance | undefined> => {
  let recorded: unknown;
  try {
    recorded = JSON.parse(await readFile(fileOf(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  return isRunningInstance(recorded) && recorded.pid !== process.pid && isAlive(recorded.pid) ? recorded : undefined;
};

export const recordRunningInstance = (dataDir: string, instance: Omit<RunningInstance, 'pid'>): Promise<void> =>
  writeFile(fileOf(dataDir), JSON.stringify({ pid: process.pid, ...instance }), { mode: 0o600 });

export const forgetRunningInstance = (dataDir: string): Promise<void> => rm(fileOf(dataDir), { force: true });

/** The advice for a second `npm start`: every setting that must differ for two to run side by side. */
export const sideBySideAdvice = (settings: {
  port: number;
  storePort: number;
  s3Port: number;
  dataDir: string;
}): string => {
  const storePort = settings.storePort === 0 ? 0 : settings.storePort + 1;
  const s3Port = settings.s3Port === 0 ? 0 : settings.s3Port + 1;
  const dataDir = settings.dataDir === 'memory' ? 'memory' : `${settings.dataDir}-2`;
  return (
    'Stop it, or give this one its own PORT, DYNAMODB_PORT, S3_PORT and DATA_DIR, e.g. ' +
    `PORT=${settings.port + 1} DYNAMODB_PORT=${storePort} S3_PORT=${s3Port} DATA_DIR=${dataDir} npm start`
  );
};
