import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived, as a receiver must verify it. */
  rawBody: string;
  /** What the receiver answered. */
  status: number;
}

/**
 * A real HTTP receiver on a loopback port. It answers each request with the next status of `script` (the last
 * one once the script runs out), or never answers while `hang` is set, and records what it got.
 */
export const startWebhookReceiver = async (script: number[] = [200]) => {
  const received: ReceivedWebhook[] = [];
  let hang = false;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = script.length > 1 ? script.shift()! : (script[0] ?? 200);
      received.push({
        path: request.url ?? '/',
        headers: request.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      if (hang) return;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    received,
    hangFromNowOn: () => {
      hang = true;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
