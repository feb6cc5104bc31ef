/**
 * `npm run app -- create --name "Acme"`: registers an app and prints its token, once, as one JSON line.
 * Talks to the DynamoDB the environment names: DYNAMODB_ENDPOINT (unset: real AWS with the usual
 * credentials) and TABLE_NAME (defaults to the local table that `npm start` uses).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ulid } from 'ulid';
import { LOCAL_TABLE_NAME } from '../../functions/config.ts';
import { quietNodeVersionWarning } from '../local/quiet-node-version-warning.ts';

const USAGE = 'usage: npm run app -- create --name "<app name>"';

quietNodeVersionWarning();
process.env.TABLE_NAME ||= LOCAL_TABLE_NAME;

const { positionals, values } = parseArgs({ allowPositionals: true, options: { name: { type: 'string' } } });
const appName = values.name?.trim();
if (positionals[0] !== 'create' || positionals.length !== 1 || !appName || appName.length > 200) {
  console.error(USAGE);
  process.exit(2);
}

const { appStore, config } = await import('../../functions/dependencies.ts');
const appId = ulid();
const appToken = `esr_${randomBytes(24).toString('base64url')}`;
try {
  await appStore.register({ appId, appName }, appToken, new Date().toISOString());
} catch (error) {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(
    `Could not create the app in table ${config.tableName} (${config.dynamodbEndpoint ?? 'AWS'}): ${reason}`,
  );
  process.exit(1);
}
console.log(JSON.stringify({ AppId: appId, AppToken: appToken }));
