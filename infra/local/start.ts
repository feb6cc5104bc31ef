/**
 * `npm start`: the whole service on this machine. The embedded DynamoDB-compatible store (or the store
 * DYNAMODB_ENDPOINT names), the table as CDK defines it, the embedded S3-compatible server for documents (or the
 * one S3_ENDPOINT names) with its bucket, a demo app, and every route of the route table served by the very
 * handlers Lambda runs.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { LOCAL_TABLE_NAME } from '../../functions/config.ts';
import { SigningKeySettings, type SigningKeyKind } from '../../functions/signing-key.ts';
import { readEnvironment, type Environment } from '../../functions/runtime/environment.ts';
import { createScheduledJobsHandler } from '../../functions/handlers/scheduled-jobs.ts';
import { scheduledJobsDependencies } from '../../functions/wiring/scheduled-jobs.ts';
import { httpApiDependencies } from '../../functions/wiring/http-api.ts';
import { SealingKeySettings } from '../../functions/sealing-key-settings.ts';
import { openStore } from '../../functions/wiring/store-access.ts';
import { listenOrExplain } from './busy-port.ts';
import { createSampleRequest, registerDemoApp } from './demo-app.ts';
import { DataDirInUseError, ensureLocalTable, startEmbeddedStore, type EmbeddedStore } from './embedded-store.ts';
import { ensureLocalBucket, startEmbeddedS3, type EmbeddedS3 } from './embedded-s3.ts';
import { bundlePdfReaderWorker } from '../bundling/pdf-reader-worker.ts';
import { createLocalHandlers, localFunctionDependencies } from './handlers.ts';
import { createLocalHttpServer } from './http-server.ts';
import { KEPT_KEY_FILES, keptSealingKey, keptSigningKey, keptUnderDataDir, newLocalSealingKey } from './kept-keys.ts';
import { localAdmin } from './local-admin.ts';
import { MAILBOX_PATHS } from './mailbox.ts';
import { startLocalEvents } from './local-events.ts';
import { quietNodeVersionWarning } from './quiet-node-version-warning.ts';
import {
  forgetRunningInstance,
  recordRunningInstance,
  runningInstanceOn,
  sideBySideAdvice,
} from './running-instance.ts';
import { startLocalSchedule } from './schedule.ts';

quietNodeVersionWarning();

const shell = readEnvironment();
const port = Number(shell.PORT ?? 3000);
const storePort = Number(shell.DYNAMODB_PORT ?? 8000);
const dataDir = shell.DATA_DIR ?? '.data';
const inMemory = dataDir === 'memory';
const tableName = shell.TABLE_NAME || LOCAL_TABLE_NAME;
const region = shell.AWS_REGION ?? 'us-east-1';
// A store of the caller's (DynamoDB Local, LocalStack, a fault-injecting proxy, a real table) replaces the embedded one.
const givenStoreEndpoint = shell.DYNAMODB_ENDPOINT || undefined;
// The same for documents: an S3-compatible server of the caller's (MinIO, LocalStack, a real bucket's region).
const s3Port = Number(shell.S3_PORT ?? 8010);
const givenS3Endpoint = shell.S3_ENDPOINT || undefined;
const documentsBucket = shell.DOCUMENTS_BUCKET || 'esign-recall-documents';

/** A value generated once and kept under DATA_DIR (readable by this user only), or fresh in memory mode. */
const kept = (fileName: string, generated: string): Promise<string> =>
  inMemory ? Promise.resolve(generated) : keptUnderDataDir(dataDir, fileName, generated);

if (!inMemory) await mkdir(givenStoreEndpoint ? dataDir : path.join(dataDir, 'dynamodb'), { recursive: true });
// A second `npm start` explains, in one line, that one is probably running: it never dies on the first's data.
const sideBySide = sideBySideAdvice({ port, storePort, s3Port, dataDir });
const other = inMemory ? undefined : await runningInstanceOn(dataDir);
if (other) {
  console.error(
    `npm start: another npm start (pid ${other.pid}, API on port ${other.apiPort}) is running on DATA_DIR ${dataDir}. ${sideBySide}`,
  );
  process.exit(1);
}
// A store of the caller's is left running when this stops: it is theirs.
const store: EmbeddedStore & { embedded: boolean } = givenStoreEndpoint
  ? { endpoint: givenStoreEndpoint, embedded: false, close: () => Promise.resolve() }
  : {
      ...(await listenOrExplain(
        () =>
          startEmbeddedStore({
            port: storePort,
            ...(inMemory ? {} : { dataDir: path.join(dataDir, 'dynamodb') }),
          }).catch((error: unknown) => {
            if (!(error instanceof DataDirInUseError)) throw error;
            console.error(
              `npm start: DATA_DIR ${dataDir} is in use by another process (another npm start, or npm run app at work on it). ${sideBySide}`,
            );
            process.exit(1);
          }),
        storePort,
        'DYNAMODB_PORT',
        sideBySide,
      )),
      embedded: true,
    };
const table = await ensureLocalTable(store.endpoint, tableName, region);
// Documents: s3rver keeps its objects as files under DATA_DIR/s3 (a temporary folder in memory mode).
const s3: EmbeddedS3 & { embedded: boolean } = givenS3Endpoint
  ? { endpoint: givenS3Endpoint, embedded: false, close: () => Promise.resolve() }
  : {
      ...(await listenOrExplain(
        async () => {
          if (!inMemory) await mkdir(path.join(dataDir, 's3'), { recursive: true });
          return startEmbeddedS3({ port: s3Port, ...(inMemory ? {} : { dataDir: path.join(dataDir, 's3') }) });
        },
        s3Port,
        'S3_PORT',
        sideBySide,
      )),
      embedded: true,
    };
await ensureLocalBucket(s3.endpoint, documentsBucket, region);
// The PDF reader's worker, bundled from its source as a deployed function ships it (Node 20 starts no TypeScript worker).
const pdfReaderWorker = await bundlePdfReaderWorker();

/**
 * The master keys (Secrets Manager in AWS), each the shell's if it gives one, else generated once and kept
 * under DATA_DIR, so links, webhook secrets, list cursors and signing page passes survive restarts.
 */
const signingKey = async (kind: SigningKeyKind) => {
  const given = shell[SigningKeySettings[kind].key];
  if (given) return { value: given, given: true };
  const value = inMemory ? randomBytes(32).toString('base64url') : await keptSigningKey(dataDir, kind);
  return { value, given: false };
};
const linkKey = await signingKey('link');
const webhookKey = await signingKey('webhook');
const cursorKey = await signingKey('cursor');
const passKey = await signingKey('pass');
// The evidence seal's key and self-signed certificate: the shell's PEM JSON if it gives one, else kept like the keys.
const sealingKeyPem =
  shell[SealingKeySettings.pem] || (inMemory ? await newLocalSealingKey() : await keptSealingKey(dataDir));

/** The settings the functions run with here: the shell's, completed for this machine (process.env is untouched). */
const env: Environment = {
  ...shell,
  TABLE_NAME: tableName,
  AWS_REGION: region,
  POWERTOOLS_SERVICE_NAME: shell.POWERTOOLS_SERVICE_NAME ?? 'esign-recall-local',
  DYNAMODB_ENDPOINT: store.endpoint,
  S3_ENDPOINT: s3.endpoint,
  DOCUMENTS_BUCKET: documentsBucket,
  PDF_READER_WORKER: pdfReaderWorker.href,
  [SigningKeySettings.link.key]: linkKey.value,
  [SigningKeySettings.webhook.key]: webhookKey.value,
  [SigningKeySettings.cursor.key]: cursorKey.value,
  [SigningKeySettings.pass.key]: passKey.value,
  [SealingKeySettings.pem]: sealingKeyPem,
  // Webhooks to http://localhost are for trying things out here; the deployed deliverer refuses them.
  ALLOW_HTTP_WEBHOOKS: shell.ALLOW_HTTP_WEBHOOKS ?? 'true',
  // Where the links in invitations and reminders point: this server, unless the shell says otherwise.
  SIGNING_BASE_URL: shell.SIGNING_BASE_URL || `http://localhost:${port}`,
};
const base = `http://localhost:${port}`;
const scheduledJobsEveryMs = Number(shell.SCHEDULED_JOBS_INTERVAL_SECONDS ?? 60) * 1000;

// Every function of this process on one client, as the stream stand-in must see every write.
const storeAccess = openStore(env);
// Events, webhooks and the mailer run in this process; each is shown here as it happens.
const events = await startLocalEvents({
  env,
  store: storeAccess,
  backoffBaseMs: 1_000,
  // The webhook retry schedule, a minute to a second: its 12 tries span about 29 minutes here.
  msPerScheduleSecond: 1000 / 60,
  onEvent: (event) => console.log(`event   ${event.type} ${event.requestNo} (${event.signRequestId}) ${event.status}`),
  // Addresses and links stay in the mailbox: the console says only what kind of mail went out.
  onMail: (mail) => console.log(`mail    ${mail.kind} for ${mail.signRequestId}: see ${base}${MAILBOX_PATHS.page}`),
  onDeadLetter: (letter) =>
    console.log(`dead letter  ${letter.subscription} gave up on ${letter.event.type} after ${letter.attempts} tries`),
});
// The code route mails its one-time codes straight to the same mailbox (never through an event).
const http = await localFunctionDependencies(env, httpApiDependencies(env, storeAccess), events.mailbox);
// The scheduled jobs function itself (expiry, then the automatic reminders), invoked as its EventBridge rule does.
const scheduledJobs = startLocalSchedule({
  functionName: 'scheduled-jobs',
  handler: createScheduledJobsHandler(scheduledJobsDependencies(env, storeAccess)),
  everyMs: scheduledJobsEveryMs,
  region,
  onError: (error) => console.error('scheduled jobs run failed:', error),
});

const token = shell.LOCAL_APP_TOKEN || (await kept('demo-app-token', `esr_${randomBytes(24).toString('base64url')}`));
const demo = await registerDemoApp(http.appStore, token);
const server = createLocalHttpServer(createLocalHandlers(http), localAdmin(events), (method, urlPath) =>
  events.mailbox.answer(method, urlPath),
);
await listenOrExplain(
  async () => {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
  },
  port,
  'PORT',
  sideBySide,
);
// Lets `npm run app` find this store, and a second `npm start` on this DATA_DIR say that this one runs.
if (!inMemory) await recordRunningInstance(dataDir, { apiPort: port, storeEndpoint: store.endpoint, tableName });
// The key itself is shown only when it lives nowhere else (memory mode); otherwise the command reads its file.
const WEBHOOK_KEY = SigningKeySettings.webhook.key;
const webhookKeyForAdmin = webhookKey.given
  ? `${WEBHOOK_KEY}="$${WEBHOOK_KEY}"`
  : inMemory
    ? `${WEBHOOK_KEY}=${webhookKey.value}`
    : `${WEBHOOK_KEY}=$(cat ${path.join(dataDir, KEPT_KEY_FILES.webhook)})`;
const storeDescription = store.embedded
  ? `embedded store at ${store.endpoint}`
  : `the store at DYNAMODB_ENDPOINT ${store.endpoint}`;
const sample = await createSampleRequest(base, token);

// Ready for Ctrl-C before the banner says it is: a signal that came between the two would kill the process.
const stop = async () => {
  server.close();
  server.closeAllConnections();
  // A mailer, deliverer or scheduled jobs run still at work (a notification waiting for its send rate) finishes before
  // the store goes.
  await Promise.all([events.stop(), scheduledJobs.stop()]);
  if (!inMemory) await forgetRunningInstance(dataDir);
  await Promise.all([store.close(), s3.close()]);
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());

console.log(`
esign-recall is running at ${base}
Store: ${storeDescription}, table ${tableName} (${table === 'created' ? 'created now' : 'existing'})
Documents: ${s3.embedded ? 'embedded S3 server' : 'the S3 server at S3_ENDPOINT'} ${s3.endpoint}, bucket ${documentsBucket}
Data: ${inMemory ? 'in memory' : dataDir}

Demo app "${demo.appName}" (${demo.appId}), app token: ${token}
A sample request ${sample.requestNo} is open with two signers. Recall it, as in the KAiZEN guide:

curl -s -X POST ${base}/v1/sign-requests/recall -H 'content-type: application/json' \\
  -d '{"signRequestId":"${sample.signRequestId}","appToken":"${token}","recallReason":"Request raised mistakenly","recalledBy":"Mohit Bansal"}'

Register a webhook (its secret derives from the local webhook signing key${inMemory ? ', which lives only in this process' : ''}):
  DYNAMODB_ENDPOINT=${store.endpoint} ${webhookKeyForAdmin} ALLOW_HTTP_WEBHOOKS=true \\
  npm run app -- webhook --token ${token} --url http://localhost:9000/hooks
Events, mail and webhook deliveries are printed below as they happen.
Mailbox: every e-mail the service would send is at ${base}${MAILBOX_PATHS.page} (JSON: ${base}${MAILBOX_PATHS.json}).

Read it back:  curl -s ${base}/v1/sign-requests/${sample.signRequestId} -H 'authorization: Bearer ${token}'
Sign as the first signer:  curl -s -X POST ${sample.signingUrl}/sign
The README walks through every scenario. Ctrl-C stops the server.
`);
