import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_USER_AGENT } from '../../functions/core/evidence.ts';
import { createRecallHandler } from '../../functions/handlers/recall.ts';
import { signRequestKey } from '../../functions/store/keys.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { config, documentClient, httpDependencies } from '../support/dependencies.ts';
import { initiate, newApp, recallBody, signingPath, startService, type Service } from '../support/service.ts';

let service: Service;
let app: Awaited<ReturnType<typeof newApp>>;

beforeAll(async () => {
  service = await startService();
  app = await newApp('Evidence');
});
afterAll(() => service.close());

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface Sent {
  status: number;
  body: string;
  /** The address this client's socket had: the one the server saw as the caller's. */
  clientAddress: string | undefined;
}

/**
 * One request over a fresh connection from `localAddress` (any 127/8 address is this machine's loopback on
 * Linux), reporting the address the client socket was bound to, so a test compares the recorded address with
 * what the server's socket saw rather than with a constant. Node's client sends header bytes as given (latin1),
 * which lets a test send C1 control characters a browser could.
 */
const send = (
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<Sent> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, service.baseUrl);
    const outgoing = httpRequest(
      {
        method,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers: options.headers,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), clientAddress }),
        );
        response.on('error', reject);
      },
    );
    let clientAddress: string | undefined;
    outgoing.on('socket', (socket) => socket.on('connect', () => (clientAddress = socket.localAddress)));
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });

const json = (headers: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...headers });

interface HistoryRow {
  At: string;
  Event: string;
  SignerId?: string;
  By?: string;
  Ip?: string;
  UserAgent?: string;
  DocumentSha256?: string;
}

/** The request's history as the app reads it (GET /v1/sign-requests/{id}). */
const historyOf = async (signRequestId: string): Promise<HistoryRow[]> => {
  const read = await service.get<{ History: HistoryRow[] }>(`/v1/sign-requests/${signRequestId}`, {
    authorization: `Bearer ${app.token}`,
  });
  expect(read.status).toBe(200);
  return read.Data.History;
};

const entry = (history: HistoryRow[], event: string, signerId?: string) => {
  const found = history.find((row) => row.Event === event && (signerId === undefined || row.SignerId === signerId));
  expect(found, `${event} entry`).toBeDefined();
  return found!;
};

describe('every act records where it came from, shown to the app on Read', () => {
  it('a view, a signature and a decline record the signer’s address as the socket saw it, and their User-Agent', async () => {
    const created = await initiate(service, app.token, 3);
    const [first, , third] = created.Signers.map((signer) => signingPath(signer.SigningUrl));

    const viewed = await send('GET', first!, {
      headers: { 'user-agent': 'Viewer/1.0 (X11; Linux)' },
      localAddress: '127.0.0.2',
    });
    expect(viewed.status).toBe(200);
    const signed = await send('POST', `${first}/sign`, {
      headers: json({ 'user-agent': 'Signer/2.0' }),
      body: JSON.stringify({ signedName: 'Signer One' }),
      localAddress: '127.0.0.3',
    });
    expect(signed.status).toBe(200);
    const declined = await send('POST', `${third}/decline`, {
      headers: json({ 'user-agent': 'Decliner/3.0' }),
      body: JSON.stringify({ reason: 'Wrong amount' }),
      localAddress: '127.0.0.4',
    });
    expect(declined.status).toBe(200);

    const history = await historyOf(created.SignRequestId);
    const [one, , three] = created.Signers.map((signer) => signer.SignerId);
    // Each act's own connection, from its own loopback address: not one address every entry would share.
    expect(new Set([viewed.clientAddress, signed.clientAddress, declined.clientAddress]).size).toBe(3);
    expect(entry(history, 'VIEWED', one)).toMatchObject({
      Ip: viewed.clientAddress,
      UserAgent: 'Viewer/1.0 (X11; Linux)',
    });
    expect(entry(history, 'SIGNED', one)).toMatchObject({ Ip: signed.clientAddress, UserAgent: 'Signer/2.0' });
    expect(entry(history, 'DECLINED', three)).toMatchObject({ Ip: declined.clientAddress, UserAgent: 'Decliner/3.0' });
    // No document on this request: the signature records no hash; CREATED is no act of a caller's.
    expect(entry(history, 'SIGNED', one)).not.toHaveProperty('DocumentSha256');
    expect(entry(history, 'CREATED')).not.toHaveProperty('Ip');
  });

  it('a recall records the app server’s address and User-Agent', async () => {
    const created = await initiate(service, app.token, 1);
    const recalled = await send('POST', '/v1/sign-requests/recall', {
      headers: json({ 'user-agent': 'kaizen-backend/2.4' }),
      body: JSON.stringify(recallBody(created.SignRequestId, app.token)),
      localAddress: '127.0.0.5',
    });
    expect(recalled.status).toBe(200);
    expect(recalled.clientAddress).toBe('127.0.0.5');
    expect(entry(await historyOf(created.SignRequestId), 'RECALLED')).toMatchObject({
      By: recallBody(created.SignRequestId, app.token).recalledBy,
      Ip: recalled.clientAddress,
      UserAgent: 'kaizen-backend/2.4',
    });
  });

  it('a direct invocation has no caller address and no User-Agent: its recall records none', async () => {
    const created = await initiate(service, app.token, 1);
    const recall = createRecallHandler(httpDependencies);
    const answer = await recall(recallBody(created.SignRequestId, app.token), localLambdaContext('direct'));
    expect(answer).toMatchObject({ Data: true });
    const recalled = entry(await historyOf(created.SignRequestId), 'RECALLED');
    expect(recalled).not.toHaveProperty('Ip');
    expect(recalled).not.toHaveProperty('UserAgent');
  });
});

describe('what a client sends cannot make the record say otherwise', () => {
  it('ignores a spoofed X-Forwarded-For when the origin check is not configured (the local server)', async () => {
    expect(httpDependencies.config.behindCloudFront).toBe(false);
    const created = await initiate(service, app.token, 1);
    const signed = await send('POST', `${signingPath(created.Signers[0]!.SigningUrl)}/sign`, {
      headers: json({ 'x-forwarded-for': '192.0.2.1, 198.51.100.20', 'user-agent': 'Spoofer/1.0' }),
      body: '{}',
      localAddress: '127.0.0.6',
    });
    expect(signed.status).toBe(200);
    expect(entry(await historyOf(created.SignRequestId), 'SIGNED').Ip).toBe(signed.clientAddress);
  });

  it(`cuts a 2 KB User-Agent to ${MAX_USER_AGENT} characters`, async () => {
    const created = await initiate(service, app.token, 1);
    const long = `LongAgent/1.0 ${'x'.repeat(2048)}`;
    const viewed = await send('GET', signingPath(created.Signers[0]!.SigningUrl), { headers: { 'user-agent': long } });
    expect(viewed.status).toBe(200);
    const recorded = entry(await historyOf(created.SignRequestId), 'VIEWED').UserAgent!;
    expect(recorded).toHaveLength(MAX_USER_AGENT);
    expect(long.startsWith(recorded.slice(0, -1))).toBe(true);
  });

  it('cleans control characters out of the User-Agent', async () => {
    const created = await initiate(service, app.token, 1);
    // Tab and C1 controls (NEL U+0085, CSI U+009B) are what HTTP lets through: latin1 bytes a parser accepts.
    const viewed = await send('GET', signingPath(created.Signers[0]!.SigningUrl), {
      headers: { 'user-agent': 'Agent\u0085Line\tTab\u009b[31mRed' },
    });
    expect(viewed.status).toBe(200);
    const recorded = entry(await historyOf(created.SignRequestId), 'VIEWED').UserAgent!;
    expect(recorded).toBe('Agent Line Tab [31mRed');
    expect(recorded).not.toMatch(/\p{Cc}/u);
  });
});

describe('the signer’s page records the same evidence as the JSON routes', () => {
  it('opening the page, then signing with its form, records the browser’s address and User-Agent', async () => {
    const created = await initiate(service, app.token, 2);
    const link = signingPath(created.Signers[0]!.SigningUrl);
    const browser = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    const page = await send('GET', link, {
      headers: { accept: BROWSER_ACCEPT, 'user-agent': browser },
      localAddress: '127.0.0.7',
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<form');
    const posted = await send('POST', `${link}/sign`, {
      headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': browser },
      body: new URLSearchParams({ signedName: 'Signer One' }).toString(),
      localAddress: '127.0.0.8',
    });
    expect(posted.status).toBe(200);

    const history = await historyOf(created.SignRequestId);
    const signerId = created.Signers[0]!.SignerId;
    expect(entry(history, 'VIEWED', signerId)).toMatchObject({ Ip: page.clientAddress, UserAgent: browser });
    expect(entry(history, 'SIGNED', signerId)).toMatchObject({ Ip: posted.clientAddress, UserAgent: browser });
  });

  it('declining with the page’s form records them', async () => {
    const created = await initiate(service, app.token, 2);
    const posted = await send('POST', `${signingPath(created.Signers[1]!.SigningUrl)}/decline`, {
      headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Page/1' },
      body: new URLSearchParams({ reason: 'Not mine to sign' }).toString(),
      localAddress: '127.0.0.9',
    });
    expect(posted.status).toBe(200);
    expect(entry(await historyOf(created.SignRequestId), 'DECLINED', created.Signers[1]!.SignerId)).toMatchObject({
      Ip: posted.clientAddress,
      UserAgent: 'Page/1',
    });
  });
});

describe('a signature records the document the signer was shown', () => {
  it('records the request’s document SHA-256 on SIGNED when the request carries a document', async () => {
    const created = await initiate(service, app.token, 1);
    // The document store sets `document` at initiate; stored here directly, as only its hash is read.
    const sha256 = createHash('sha256').update(`document of ${created.SignRequestId}`).digest('hex');
    await documentClient.send(
      new UpdateCommand({
        TableName: config.tableName,
        Key: signRequestKey(created.SignRequestId),
        UpdateExpression: 'SET #document = :document',
        ExpressionAttributeNames: { '#document': 'document' },
        ExpressionAttributeValues: { ':document': { sha256 } },
      }),
    );
    const signed = await send('POST', `${signingPath(created.Signers[0]!.SigningUrl)}/sign`, {
      headers: json({ 'user-agent': 'Signer/2.0' }),
      body: '{}',
    });
    expect(signed.status).toBe(200);
    expect(entry(await historyOf(created.SignRequestId), 'SIGNED')).toMatchObject({
      DocumentSha256: sha256,
      Ip: signed.clientAddress,
    });
  });
});
