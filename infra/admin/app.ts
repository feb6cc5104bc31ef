/**
 * `npm run app -- create --name "Acme"`: registers an app and prints its token, once, as one JSON line.
 * `npm run app -- revoke --token "<token>"`: revokes a token (warm functions stop accepting it within the
 * token cache TTL, APP_TOKEN_CACHE_TTL_SECONDS); a token revoked already prints `"AlreadyRevoked":true` too.
 * `npm run app -- rotate --token "<token>" | --app-id "<id>" [--grace-seconds N]`: a new token for the same app,
 * printed once; the old one stops working now, or after N seconds (infra/admin/rotate.ts).
 * `npm run app -- list`: every app as one JSON array, never a token or a hash.
 * `npm run app -- limits --app-id "<id>" [--rate N] [--burst N] [--daily-quota N] | --clear`: the app's own limits
 * (infra/admin/limits.ts); warm functions apply them within the token cache TTL.
 * `npm run app -- webhook --token "<token>" --url "https://…"`: registers (or replaces) the app's webhook URL and
 * prints its signing secret, which is derived from the webhook signing key and never stored (infra/admin/webhook.ts).
 * `npm run app -- redrive --queue webhooks|notifications|signed-documents|events [--dead-letter-arn <ARN>]` and
 * `npm run app -- replay-events [--queue-url <URL> --event-bus <name>]`: dead letters back to their queue, and
 * events the publisher could not publish back onto the bus (infra/admin/queue-commands.ts).
 * `npm run app -- make-signed-documents [--app-id "<id>"] [--dry-run] [--aws --event-bus <name>]`: the completed
 * requests with no signed document get their SignRequestCompleted published again, for the maker to make it
 * (infra/admin/make-signed-documents.ts); one JSON line per request, then a summary.
 * Talks to the local store `npm start` uses (its DATA_DIR), unless told otherwise: DYNAMODB_ENDPOINT names a
 * store, `--aws` DynamoDB in AWS with the usual credentials and TABLE_NAME (infra/admin/store-choice.ts). It says
 * on stderr which store and table it used. TABLE_NAME defaults to the local table that `npm start` uses.
 */
import { ulid } from 'ulid';
import { LOCAL_TABLE_NAME } from '../../functions/config.ts';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import { adminDependencies } from '../../functions/wiring/admin.ts';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { quietNodeVersionWarning } from '../local/quiet-node-version-warning.ts';
import { runQueueCommand } from './queue-commands.ts';
import { newAppToken } from './app-token.ts';
import { parseAdminArgs } from './arguments.ts';
import { REDRIVE_QUEUES, type RedriveQueue } from './queues.ts';
import { limitsRequestOf, setAppLimits } from './limits.ts';
import {
  makeSignedDocumentsInAws,
  makeSignedDocumentsLocally,
  makeSignedDocumentsMistake,
  type MakeSignedDocumentsArgs,
} from './make-signed-documents.ts';
import { rotateToken } from './rotate.ts';
import { chooseStore } from './store-choice.ts';
import { registerWebhook } from './webhook.ts';

const USAGE = [
  'usage: npm run app -- create --name "<app name>"',
  '       npm run app -- list',
  '       npm run app -- revoke --token "<app token>"',
  '       npm run app -- rotate --token "<app token>" | --app-id "<app id>" [--grace-seconds <0..604800>]',
  '       npm run app -- limits --app-id "<app id>" [--rate <per second>] [--burst <n>] [--daily-quota <n>] | --clear',
  '       npm run app -- webhook --token "<app token>" --url "<https URL>"',
  '       npm run app -- redrive --queue webhooks|notifications|signed-documents [--dead-letter-arn "<ARN>"]',
  '       npm run app -- redrive --queue events | replay-events [--queue-url "<URL>" --event-bus "<name>"]',
  '       npm run app -- make-signed-documents [--app-id "<app id>"] [--dry-run] [--aws --event-bus "<name>"]',
  'The store: the local one `npm start` uses (its DATA_DIR), unless DYNAMODB_ENDPOINT names another,',
  "or --aws: DynamoDB in AWS, with TABLE_NAME (the stack's TableName output) and your AWS credentials.",
].join('\n');

quietNodeVersionWarning();
const shell = readEnvironment();
// The queue commands take the table's default too; the store commands choose theirs (chooseStore).
const env = { ...shell, TABLE_NAME: shell.TABLE_NAME || LOCAL_TABLE_NAME };

const parsed = parseAdminArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(USAGE);
  process.exit(0);
}
if (parsed.kind === 'mistake') {
  console.error(`${parsed.message}\n${USAGE}`);
  process.exit(2);
}
const { positionals, values } = parsed;
const [command, ...extra] = positionals;
const appName = values.name?.trim();
const token = values.token?.trim();
const appId = values['app-id']?.trim();
const graceText = values['grace-seconds'];
const graceSeconds = graceText === undefined ? 0 : /^\d{1,6}$/.test(graceText) ? Number(graceText) : Number.NaN;
const webhookUrl = values.url?.trim();
const limitsRequest = limitsRequestOf(values);
const backfill: MakeSignedDocumentsArgs = {
  aws: values.aws === true,
  dryRun: values['dry-run'] === true,
  ...(appId === undefined ? {} : { appId }),
  ...(values['event-bus'] === undefined ? {} : { eventBus: values['event-bus'] }),
};
/** What is wrong with the command line, in one line that quotes no value (a value may be a token); or undefined. */
const mistake = (): string | undefined => {
  const needs: Record<string, string | undefined> = {
    create: appName && appName.length <= 200 ? undefined : 'create needs --name, at most 200 characters.',
    list: undefined,
    revoke: token ? undefined : 'revoke needs --token.',
    rotate:
      Boolean(token) === Boolean(appId)
        ? 'rotate needs either --token or --app-id, not both.'
        : graceSeconds >= 0 && graceSeconds <= 604_800
          ? undefined
          : '--grace-seconds must be a whole number of seconds from 0 to 604800.',
    limits: !appId ? 'limits needs --app-id.' : limitsRequest.ok ? undefined : limitsRequest.message,
    webhook: token && webhookUrl ? undefined : 'webhook needs --token and --url.',
    redrive: REDRIVE_QUEUES.includes(values.queue as RedriveQueue)
      ? undefined
      : `redrive needs --queue ${REDRIVE_QUEUES.join('|')}.`,
    'replay-events': undefined,
    'make-signed-documents': makeSignedDocumentsMistake(backfill),
  };
  if (command === undefined) return 'No command given.';
  if (!Object.hasOwn(needs, command)) return 'Unknown command.';
  if (extra.length > 0) return `${command} takes no further argument.`;
  return needs[command];
};
const problem = mistake();
if (problem !== undefined) {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

// Queues need no table: run before the store is opened.
if (command === 'redrive' || command === 'replay-events') {
  try {
    const outcome = await runQueueCommand(env, {
      command,
      ...(values.queue ? { queue: values.queue as RedriveQueue } : {}),
      ...(values['dead-letter-arn'] ? { deadLetterArn: values['dead-letter-arn'] } : {}),
      ...(values['queue-url'] ? { queueUrl: values['queue-url'] } : {}),
      ...(values['event-bus'] ? { eventBus: values['event-bus'] } : {}),
    });
    if (!outcome.ok) {
      console.error(outcome.message);
      process.exit(1);
    }
    console.log(JSON.stringify(outcome.printed));
    process.exit(0);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`Could not ${command}: ${reason}`);
    process.exit(1);
  }
}

// Locally, the running npm start does it on its own store and bus.
if (command === 'make-signed-documents' && !backfill.aws) {
  try {
    process.exit(await makeSignedDocumentsLocally(env, backfill));
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    console.error(`Could not ${command}: ${reason}`);
    process.exit(1);
  }
}

const store = await chooseStore(shell, values.aws === true);
if (!store.ok) {
  console.error(`npm run app: ${store.message}`);
  process.exit(1);
}
const admin = adminDependencies(store.env);
const { appStore, config } = admin;
const where = `table ${config.tableName} in ${store.description}`;
// stderr, so that stdout stays the one JSON line a script reads.
console.error(`npm run app: ${where}`);
/** Runs the command; the exit status. Every path comes back here, so a store opened from DATA_DIR is closed. */
const run = async (): Promise<number> => {
  if (command === 'create' && appName) {
    const newId = ulid();
    const appToken = newAppToken();
    await appStore.register({ appId: newId, appName }, appToken, new Date().toISOString());
    console.log(JSON.stringify({ AppId: newId, AppToken: appToken }));
  } else if (command === 'list') {
    const apps = await appStore.list();
    console.log(
      JSON.stringify(
        apps.map((app) => ({
          AppId: app.appId,
          AppName: app.appName,
          CreatedAt: app.createdAt,
          Revoked: app.revoked,
          Limits: app.limits ?? null,
        })),
      ),
    );
  } else if (command === 'rotate') {
    const target = token ? { token } : { appId: appId ?? '' };
    const outcome = await rotateToken(appStore, target, graceSeconds, config.appTokenCacheTtlMs);
    if (!outcome.ok) {
      console.error(`${outcome.message} in ${where}`);
      return 1;
    }
    console.log(JSON.stringify(outcome.printed));
  } else if (command === 'limits' && appId && limitsRequest.ok) {
    const outcome = await setAppLimits(appStore, appId, limitsRequest);
    if (!outcome.ok) {
      console.error(`${outcome.message} in ${where}`);
      return 1;
    }
    console.log(JSON.stringify(outcome.printed));
  } else if (command === 'webhook' && token && webhookUrl) {
    const outcome = await registerWebhook(admin, token, webhookUrl, store.env);
    if (!outcome.ok) {
      console.error(outcome.kind === 'unknown-token' ? `No such app token in ${where}` : outcome.message);
      return outcome.kind === 'unknown-token' ? 1 : 2;
    }
    console.log(JSON.stringify(outcome.printed));
  } else if (command === 'make-signed-documents') {
    await makeSignedDocumentsInAws({ documentClient: admin.documentClient, tableName: config.tableName }, backfill);
  } else if (token) {
    const outcome = await appStore.revoke(sha256Hex(token), new Date().toISOString());
    if (outcome === 'unknown') {
      console.error(`No such app token in ${where}`);
      return 1;
    }
    // Exit 0 either way: the token is revoked, as asked; the extra field tells a repeat from a first revoke.
    console.log(JSON.stringify(outcome === 'revoked' ? { Revoked: true } : { Revoked: true, AlreadyRevoked: true }));
  }
  return 0;
};
let status: number;
try {
  status = await run();
} catch (error) {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // A TABLE_NAME of a deployed stack, without --aws, names a table the local store does not have.
  const hint =
    error instanceof Error && error.name === 'ResourceNotFoundException' ? ' (a deployed table? add --aws)' : '';
  console.error(`Could not ${command} in ${where}: ${reason}${hint}`);
  status = 1;
}
await store.close();
process.exit(status);
