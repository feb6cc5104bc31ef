import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse } from '../../functions/http/error-response.ts';
import { transportRefusals } from '../../functions/http/refusals.ts';
import type { HttpHandler } from '../../functions/http/route.ts';
import type { HandlerName } from '../../functions/routes.ts';
import { toApiGatewayEvent } from './api-gateway-event.ts';
import { localLambdaContext } from './lambda-context.ts';
import { matchRoute } from '../../functions/route-match.ts';
import { HOME_PATH, homePage } from './home-page.ts';

/** API Gateway refuses bodies over 10 MB before any function runs; the functions' own limit is lower. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

const send = (
  response: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  extraHeaders: Record<string, string> = {},
) => {
  const headers: Record<string, string> = { ...extraHeaders };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = result.body === undefined ? '' : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers).end(body);
};

const refuse = (
  response: ServerResponse,
  error: unknown,
  requestId: string,
  extraHeaders: Record<string, string> = {},
) => send(response, errorResponse(error, requestId).response, { 'x-request-id': requestId, ...extraHeaders });

/** Reads the body up to the gateway's limit; undefined when the body is larger. */
const readBody = async (request: IncomingMessage): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > GATEWAY_MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
};

/**
 * Operator actions on what lives only in the `npm start` process (its dead letters, its undelivered events),
 * for `npm run app -- redrive | replay-events` to call: POST /local/<action>?<params>. Undefined: no such action.
 * Never deployed: API Gateway serves the route table only.
 */
export type LocalAdmin = (action: string, params: URLSearchParams) => Promise<unknown> | undefined;

const LOCAL_ADMIN_PREFIX = '/local/';

/** Pages only npm start serves (the local mailbox): an answer, or undefined when the path is not one of them. */
export type LocalPages = (
  method: string,
  path: string,
) => { status: number; contentType: string; body: string } | undefined;

/**
 * (primary adapter) A plain HTTP server standing in for API Gateway: each request becomes the HTTP API
 * event AWS would build, for the very handler Lambda runs, chosen from the one route table.
 */
export const createLocalHttpServer = (
  handlers: Record<HandlerName, HttpHandler>,
  localAdmin?: LocalAdmin,
  localPages?: LocalPages,
): Server =>
  createServer((request, response) => {
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const page =
      request.method === 'GET' && path === HOME_PATH
        ? { status: 200, contentType: 'text/html; charset=utf-8', body: homePage() }
        : localPages?.(request.method ?? 'GET', path);
    if (page) {
      request.resume();
      response
        .writeHead(page.status, {
          'content-type': page.contentType,
          'cache-control': 'no-store',
          // The mailbox shows each mail in a sandboxed frame; nothing of its own runs, and no other page may frame
          // it (its links are signing links).
          'content-security-policy':
            "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src 'self'; frame-ancestors 'none'",
          'x-frame-options': 'DENY',
          'x-content-type-options': 'nosniff',
        })
        .end(page.body);
      return;
    }
    const admin =
      localAdmin && request.method === 'POST' && path.startsWith(LOCAL_ADMIN_PREFIX)
        ? localAdmin(path.slice(LOCAL_ADMIN_PREFIX.length), url.searchParams)
        : undefined;
    if (admin) {
      request.resume();
      admin.then(
        (result) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result)),
        (error: unknown) => refuse(response, error, requestId),
      );
      return;
    }
    const match = matchRoute(request.method ?? 'GET', path);
    if (match.kind === 'not-found') {
      request.resume();
      refuse(response, transportRefusals.routeNotFound(), requestId);
      return;
    }
    if (match.kind === 'method-not-allowed') {
      request.resume();
      refuse(response, transportRefusals.methodNotAllowed(match.allowed), requestId);
      return;
    }
    const handler = handlers[match.route.handler];
    void (async () => {
      try {
        const body = await readBody(request);
        if (!body) {
          refuse(response, transportRefusals.payloadTooLarge(GATEWAY_MAX_BODY_BYTES), requestId, {
            connection: 'close',
          });
          request.destroy();
          return;
        }
        const event = toApiGatewayEvent(request, body, match, requestId);
        send(response, await handler(event, localLambdaContext(`esign-recall-${match.route.handler}`)));
      } catch (error) {
        // The handlers map every error themselves; reaching here is what API Gateway shows as a 500.
        if (!response.headersSent) refuse(response, error, requestId);
      }
    })();
  });
