import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import { signRequestKey } from '../../functions/store/keys.ts';
import { SignRequestStore } from '../../functions/store/sign-requests.ts';
import { localStoreClient, startEmbeddedStore } from '../../infra/local/embedded-store.ts';
import { runAdmin } from '../support/admin-command.ts';
import { freePort, runNpmStart, startEnv } from '../support/npm-start.ts';
import { registerSecret } from '../support/log-guard.ts';
import { freshRequest } from '../support/requests.ts';
import { initiate, startService, type Service } from '../support/service.ts';

describe('npm run app -- create', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService();
  });
  afterAll(() => service.close());

  it('prints one JSON line with a token that the API then accepts', async () => {
    const result = await runAdmin(['create', '--name', 'Acme']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.store).toBe(
      `npm run app: table ${process.env.TABLE_NAME} in the store at DYNAMODB_ENDPOINT ${process.env.DYNAMODB_ENDPOINT}`,
    );
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]!) as { AppId: string; AppToken: string };
    expect(Object.keys(printed)).toEqual(['AppId', 'AppToken']);
    expect((await initiate(service, printed.AppToken, 1)).RequestNo).toBe('KAiZEN-1');
  });

  it('prints its usage on stdout for --help, exit 0', async () => {
    const result = await runAdmin(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: npm run app -- create --name/);
    expect(result.stdout).toContain('npm run app -- rotate --token');
  });

  it.each([
    [['create', '--nmae', 'Acme'], "Unknown option '--nmae'"],
    [['revoke', '--token'], "Option '--token <value>' argument missing"],
    [['create'], 'create needs --name'],
    [['frobnicate'], 'Unknown command.'],
    [['rotate', '--token', 'esr_x', '--grace-seconds', 'soon'], '--grace-seconds must be a whole number'],
  ])('answers %j with one clear line and its usage, exit 2, no stack', async (args, line) => {
    const result = await runAdmin(args);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr.split('\n')[0]).toContain(line);
    expect(result.stderr).toContain('usage: npm run app -- create --name');
    expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|\bat .*\.(ts|js):\d+/);
    expect(result.stderr).not.toContain('esr_x');
  });
});

/** `npm start` run to its end with `env`; resolves with its exit code and what it wrote. */
const runToExit = async (env: Record<string, string>) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    env: startEnv({ DATA_DIR: 'memory', TABLE_NAME: '', DYNAMODB_ENDPOINT: '', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
};

describe('npm start', () => {
  it('serves the KAiZEN recall from its banner, then stops cleanly on Ctrl-C', async () => {
    const token = '01HQMDX-YCP019-Z2P3SX-QPSB53-8B4A3F-BC40B8-B10908-FB2FF4-A';
    // DYNAMODB_ENDPOINT cleared: the tests' own store must not stand in for the embedded one.
    const server = await runNpmStart({ LOCAL_APP_TOKEN: token, TABLE_NAME: '', DYNAMODB_ENDPOINT: '' });

    expect(server.stdout).toContain(`app token: ${token}`);
    expect(server.stdout).toMatch(/^Store: embedded store at http:\/\/127\.0\.0\.1:\d+, table esign-recall-local /m);
    expect(server.recallJson).toBeDefined();
    const first = await server.recall();
    expect(await first.text()).toBe('{"FailRules":[],"Data":true}');
    const second = await server.recall();
    expect(second.status).toBe(409);

    expect(await server.stop()).toBe(0);
    expect(server.stderr()).not.toMatch(/Warning|Error/);
  });

  it('uses the store DYNAMODB_ENDPOINT names, creating its table, and leaves that store running', async () => {
    const store = await startEmbeddedStore({ port: 0 });
    const tableName = `npm-start-${randomUUID()}`;
    const reader = DynamoDBDocumentClient.from(localStoreClient(store.endpoint));
    try {
      const server = await runNpmStart({ DYNAMODB_ENDPOINT: store.endpoint, TABLE_NAME: tableName });
      expect(server.stdout).toContain(
        `Store: the store at DYNAMODB_ENDPOINT ${store.endpoint}, table ${tableName} (created now)`,
      );
      expect(server.stdout).toContain(`DYNAMODB_ENDPOINT=${store.endpoint} `);

      const recalled = await server.recall();
      expect(await recalled.text()).toBe('{"FailRules":[],"Data":true}');
      const { signRequestId } = JSON.parse(server.recallJson!) as { signRequestId: string };
      expect(await server.stop()).toBe(0);

      // The recall landed in the given store, which outlives the server that wrote it.
      const { Item } = await reader.send(
        new GetCommand({ TableName: tableName, Key: signRequestKey(signRequestId), ConsistentRead: true }),
      );
      expect(Item).toMatchObject({ status: 'CANCELLED', recall: { by: 'Mohit Bansal' } });
      expect(server.stderr()).not.toMatch(/Warning|Error/);

      // Started again on the same store, it finds its table instead of creating it.
      const again = await runNpmStart({ DYNAMODB_ENDPOINT: store.endpoint, TABLE_NAME: tableName });
      expect(again.stdout).toContain(`table ${tableName} (existing)`);
      expect(await again.stop()).toBe(0);
    } finally {
      reader.destroy();
      await store.close();
    }
  });

  it("runs the scheduled function's own handler on its schedule: a request past its deadline is stored EXPIRED", async () => {
    const store = await startEmbeddedStore({ port: 0 });
    const tableName = `npm-start-${randomUUID()}`;
    const reader = DynamoDBDocumentClient.from(localStoreClient(store.endpoint));
    try {
      const server = await runNpmStart({
        DYNAMODB_ENDPOINT: store.endpoint,
        TABLE_NAME: tableName,
        SCHEDULED_JOBS_INTERVAL_SECONDS: '0.2',
      });
      // Written straight to the store with its deadline a minute past, so no clock decides whether it is due.
      const { request } = freshRequest(1);
      const createdAt = new Date(Date.now() - 3_600_000).toISOString();
      const due: SignRequest = {
        ...request,
        createdAt,
        updatedAt: createdAt,
        history: [{ at: createdAt, event: 'CREATED' }],
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      };
      await new SignRequestStore(reader, tableName).create(due);

      // Only the scheduled run writes EXPIRED to the store (a read would answer it past the deadline by itself). The
      // test's own timeout catches a schedule that never runs.
      const stored = async () =>
        (await reader.send(new GetCommand({ TableName: tableName, Key: signRequestKey(due.id), ConsistentRead: true })))
          .Item;
      let item = await stored();
      while (item?.status !== 'EXPIRED') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        item = await stored();
      }
      expect(item).toMatchObject({ status: 'EXPIRED' });
      expect(await server.stop()).toBe(0);
      expect(server.stderr()).not.toMatch(/Warning|Error|scheduled jobs run failed/);
    } finally {
      reader.destroy();
      await store.close();
    }
  }, 60_000);
});

describe('npm start on a busy port', () => {
  /** Holds a port the way another program would, for as long as `use` runs. */
  const withBusyPort = async <T>(use: (port: number) => Promise<T>): Promise<T> => {
    const holder = createServer().listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const address = holder.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      return await use(address.port);
    } finally {
      holder.close();
    }
  };

  it.each([
    ['the API port', 'PORT'],
    ['the embedded store port', 'DYNAMODB_PORT'],
  ])('names the setting to change for %s in one line, exits 1, no stack trace', async (_what, setting) => {
    const result = await withBusyPort(async (busy) => {
      const other: Record<string, string> =
        setting === 'PORT' ? { DYNAMODB_PORT: '0' } : { PORT: String(await freePort()) };
      return { busy, ...(await runToExit({ ...other, [setting]: String(busy) })) };
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^npm start: port ${result.busy} \\(${setting}\\) is already in use, probably by another npm start\\. `,
      ),
    );
    // The way out names every setting two side-by-side starts need apart.
    expect(lines[0]).toMatch(
      /give this one its own PORT, DYNAMODB_PORT, S3_PORT and DATA_DIR, e\.g\. PORT=\d+ DYNAMODB_PORT=\d+ S3_PORT=\d+ DATA_DIR=/,
    );
    expect(result.stdout).not.toMatch(/EADDRINUSE|\n\s+at /);
  });
});

describe('npm start on the same DATA_DIR again', () => {
  it('seals with the key it kept there: a certificate fetched before a restart verifies after it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'esign-recall-data-'));
    // SEALING_KEY_PEM cleared: the tests' own key must not stand in for the one npm start keeps.
    const env = { DATA_DIR: dataDir, TABLE_NAME: '', DYNAMODB_ENDPOINT: '', SEALING_KEY_PEM: '', LOCAL_APP_TOKEN: '' };
    try {
      const first = await runNpmStart(env);
      const { signRequestId, appToken } = JSON.parse(first.recallJson ?? '{}') as Record<string, string>;
      registerSecret(appToken ?? '');
      const response = await fetch(`${first.base}/v1/sign-requests/${signRequestId}/certificate`, {
        headers: { authorization: `Bearer ${appToken}` },
      });
      expect(response.status).toBe(200);
      const certificate = new Uint8Array(await response.arrayBuffer());
      expect(await first.stop()).toBe(0);

      const second = await runNpmStart(env);
      try {
        const verified = await fetch(`${second.base}/v1/verify`, {
          method: 'POST',
          headers: { 'content-type': 'application/pdf' },
          body: certificate,
        });
        expect(((await verified.json()) as { Data: unknown }).Data).toMatchObject({
          Valid: true,
          SignRequestId: signRequestId,
          Status: 'PENDING',
        });
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('a second npm start on the same DATA_DIR', () => {
  const sideBySide =
    /Stop it, or give this one its own PORT, DYNAMODB_PORT, S3_PORT and DATA_DIR, e\.g\. PORT=\d+ DYNAMODB_PORT=\d+ S3_PORT=\d+ DATA_DIR=\S+-2 npm start$/;

  it('says the first is running and what to set, in one line, exit 1, even on ports of its own', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'esign-recall-data-'));
    const first = await runNpmStart({ DATA_DIR: dataDir, TABLE_NAME: '', DYNAMODB_ENDPOINT: '' });
    try {
      // The advice the busy port gave before: other ports. The data directory is still the first one's.
      const second = await runToExit({ DATA_DIR: dataDir, PORT: String(await freePort()), DYNAMODB_PORT: '0' });
      expect(second.code).toBe(1);
      const lines = second.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^npm start: another npm start \\(pid \\d+, API on port \\d+\\) is running on DATA_DIR `),
      );
      expect(lines[0]).toMatch(sideBySide);
      expect(second.stdout + second.stderr).not.toMatch(/Database is closed|\n\s+at /);
    } finally {
      expect(await first.stop()).toBe(0);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('says the data is held, in one line, exit 1, when another process holds it unannounced', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'esign-recall-data-'));
    // This process holds the store's data, as a crashed start's leftover or `npm run app` would.
    const holder = await startEmbeddedStore({ port: 0, dataDir: path.join(dataDir, 'dynamodb') });
    try {
      const second = await runToExit({ DATA_DIR: dataDir, PORT: String(await freePort()), DYNAMODB_PORT: '0' });
      expect(second.code).toBe(1);
      const lines = second.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^npm start: DATA_DIR .* is in use by another process \\(another npm start, or npm run app at work on it\\)\\. `,
        ),
      );
      expect(lines[0]).toMatch(sideBySide);
      expect(second.stdout).not.toMatch(/Database is closed|\n\s+at /);
    } finally {
      await holder.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm run app without DYNAMODB_ENDPOINT', () => {
  // The shell of a newcomer: no store named, no AWS credentials, and no switch for the SDK's Node version warning.
  const newcomer = (dataDir: string) => ({
    DATA_DIR: dataDir,
    DYNAMODB_ENDPOINT: undefined,
    TABLE_NAME: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
  });

  it("uses the running npm start's store, then that store's data when npm start has stopped, and says which", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'esign-recall-data-'));
    try {
      const server = await runNpmStart({ DATA_DIR: dataDir, TABLE_NAME: '', DYNAMODB_ENDPOINT: '' });
      const storeEndpoint = /^Store: embedded store at (\S+),/m.exec(server.stdout)?.[1];
      const created = await runAdmin(['create', '--name', 'Acme'], newcomer(dataDir));
      expect(created).toMatchObject({ code: 0, stderr: '' });
      expect(created.store).toBe(
        `npm run app: table esign-recall-local in npm start's store at ${storeEndpoint} (pid ${server.pid}, DATA_DIR ${dataDir})`,
      );
      const { AppToken } = JSON.parse(created.stdout) as { AppToken: string };
      registerSecret(AppToken);
      // The token works on that npm start at once.
      const initiated = await server.initiate(AppToken);
      expect(initiated.status).toBe(201);
      expect(await server.stop()).toBe(0);

      const listed = await runAdmin(['list'], newcomer(dataDir));
      expect(listed).toMatchObject({ code: 0, stderr: '' });
      expect(listed.store).toBe(
        `npm run app: table esign-recall-local in the embedded store's data in ${dataDir} (npm start is not running)`,
      );
      expect((JSON.parse(listed.stdout) as { AppName: string }[]).map((app) => app.AppName)).toContain('Acme');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('says to start npm start (or name a store) when there is none, exit 1, never asking AWS', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'esign-recall-empty-'));
    try {
      const result = await runAdmin(['create', '--name', 'Acme'], newcomer(dataDir));
      expect(result).toMatchObject({ code: 1, stdout: '' });
      expect(result.stderr.trim()).toBe(
        `npm run app: No local store: npm start is not running and DATA_DIR ${dataDir} holds none. ` +
          'Start it with `npm start` (in another shell), or name a store: DYNAMODB_ENDPOINT=<URL>, or --aws with ' +
          'TABLE_NAME for a deployed stack.',
      );
      expect(result.stderr).not.toMatch(/CredentialsProviderError|Warning|\n\s+at /);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('goes to AWS only with --aws, and then only with the table named', async () => {
    const result = await runAdmin(['list', '--aws'], { DYNAMODB_ENDPOINT: undefined, TABLE_NAME: undefined });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.trim()).toBe("npm run app: --aws needs TABLE_NAME: the deployed stack's TableName output.");
  });
});
