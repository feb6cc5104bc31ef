import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin-command.ts';
import { initiate, startService, type Service } from '../support/service.ts';

const freePort = async (): Promise<number> => {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

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
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0]!) as { AppId: string; AppToken: string };
    expect(Object.keys(printed)).toEqual(['AppId', 'AppToken']);
    expect((await initiate(service, printed.AppToken, 1)).RequestNo).toBe('KAiZEN-1');
  });

  it('explains its usage and exits 2 when the command is incomplete', async () => {
    const result = await runAdmin(['create']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run app -- create --name');
  });
});

describe('npm start', () => {
  it('serves the seed recall from its banner, then stops cleanly on Ctrl-C', async () => {
    const port = await freePort();
    const token = '01HQMDX-YCP019-Z2P3SX-QPSB53-8B4A3F-BC40B8-B10908-FB2FF4-A';
    // Node with tsx's loader, as `npm start` runs it, but without the tsx CLI in between: Ctrl-C reaches the server
    // itself. (The CLI relays a signal and kills the server outright, exit 130, unless the server confirms it
    // within 30 ms, which a busy machine can miss: a test that failed on timing.)
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        DYNAMODB_PORT: '0',
        DATA_DIR: 'memory',
        LOCAL_APP_TOKEN: token,
        TABLE_NAME: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Ctrl-C stops the server')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`npm start exited early (${code}): ${stderr}`)));
    });

    expect(stdout).toContain(`app token: ${token}`);
    const recallJson = /-d '(\{"signRequestId".*?\})'/.exec(stdout)?.[1];
    expect(recallJson).toBeDefined();
    const recall = () =>
      fetch(`http://localhost:${port}/v1/sign-requests/recall`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: recallJson,
      });
    const first = await recall();
    expect(await first.text()).toBe('{"FailRules":[],"Data":true}');
    const second = await recall();
    expect(second.status).toBe(409);

    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).not.toMatch(/Warning|Error/);
  });
});
