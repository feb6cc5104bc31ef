import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ulid } from 'ulid';
import type { FailRule } from '../../functions/core/errors.ts';
import { createLocalHandlers, type LocalFunctionDependencies } from '../../infra/local/handlers.ts';
import { appStore, httpDependencies } from './dependencies.ts';
import { createLocalHttpServer, type LocalPages } from '../../infra/local/http-server.ts';
import { registerSecret } from './log-guard.ts';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  FailRules: FailRule[];
  Data: T;
}

/**
 * The service over real HTTP on a loopback port, with the handlers Lambda runs, on this file's table; on other
 * dependencies when given (e.g. ones whose store client goes through a fault proxy).
 */
export const startService = async (deps: LocalFunctionDependencies = httpDependencies, localPages?: LocalPages) => {
  const server = createLocalHttpServer(createLocalHandlers(deps), undefined, localPages);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const call = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers = { 'content-type': 'application/json', ...headers };
    }
    const response = await fetch(`${baseUrl}${path}`, init);
    const envelope = (await response.json()) as { FailRules: FailRule[]; Data: T };
    return { status: response.status, headers: response.headers, ...envelope } satisfies Answer<T>;
  };

  return {
    baseUrl,
    post: <T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body, headers),
    get: <T = unknown>(path: string, headers?: Record<string, string>) => call<T>('GET', path, undefined, headers),
    /** Any other method (PATCH, DELETE), answered as post and get are. */
    send: call,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
};

export type Service = Awaited<ReturnType<typeof startService>>;

/** Registers an app the way the admin command does and hands back its token. */
export const newApp = async (appName = 'Test App') => {
  const app = { appId: ulid(), appName };
  const token = `esr_${randomBytes(24).toString('base64url')}`;
  await appStore.register(app, token, new Date().toISOString());
  registerSecret(token);
  return { ...app, token };
};

export interface Created {
  SignRequestId: string;
  RequestNo: string;
  Status: string;
  Signers: { SignerId: string; Name: string; Email: string; SigningUrl: string }[];
}

export const signersNamed = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `Signer ${i + 1}`, email: `signer${i + 1}@example.com` }));

/** Initiates a request through the API and returns its data; fails the test if the API refuses. */
export const initiate = async (
  service: Service,
  token: string,
  signerCount = 2,
  extra: Record<string, unknown> = {},
) => {
  const answer = await service.post<Created>('/v1/sign-requests', {
    appToken: token,
    documentName: 'Contract.pdf',
    signers: signersNamed(signerCount),
    ...extra,
  });
  if (answer.status !== 201) throw new Error(`initiate answered ${answer.status}: ${JSON.stringify(answer.FailRules)}`);
  for (const signer of answer.Data.Signers) registerSecret(signer.SigningUrl.split('.').at(-1) ?? '');
  return answer.Data;
};

/** The path part of a signing URL, so tests call this server whatever host the URL names. */
export const signingPath = (signingUrl: string) => new URL(signingUrl).pathname;

export const recallBody = (signRequestId: string, appToken: string) => ({
  signRequestId,
  appToken,
  recallReason: 'Request raised mistakenly',
  recalledBy: 'Mohit Bansal',
});
