import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { App } from '../core/app.ts';
import type { RateDecision } from '../core/app-rate-limiter.ts';
import { refusals } from '../core/errors.ts';
import type { ExpectedVersions } from '../core/sign-request.ts';
import { fileResponse, successResponse } from './envelope.ts';
import { errorResponse, type ErrorClass } from './error-response.ts';
import type { LoadIdempotencyRunner } from './idempotency.ts';
import { parseIfMatch } from './if-match.ts';
import { parseJsonObjectBody, refuseDeclaredNonJson, type JsonObject } from './json-body.ts';
import { transportRefusals, type TransportRefusal } from './refusals.ts';
import { refusePathParameterFields, validate } from './validation.ts';
import type * as z from '../zod.ts';

/** What the one middy stack needs, whatever the route: given by the function's factory (functions/wiring/). */
export interface HttpRuntime {
  logger: Logger;
  maxBodyBytes: number;
  appTokens: { find(token: string): Promise<App | undefined> };
  /** Each authenticated app's rate (functions/core/app-rate-limiter.ts), one per container. */
  rateLimiter: { take(app: App): Promise<RateDecision> };
}

/** Where a route finds the app token: the KAiZEN calls carry it in the body, reads in `Authorization: Bearer`. */
export type AppAuth = 'body' | 'bearer' | 'none';
export type BodyRule = 'json' | 'optional-json' | 'none';

interface RouteInput<Input, A extends AppAuth> {
  input: Input;
  /** The authenticated app: there exactly when the route authenticates one. */
  app: A extends 'none' ? undefined : App;
  event: APIGatewayProxyEventV2;
  requestId: string;
  /** The versions `If-Match` names, on a conditional route; undefined: no precondition (see if-match.ts). */
  ifMatch: ExpectedVersions | undefined;
}

interface RouteResult<D> {
  statusCode: number;
  data: D;
  /** Headers of a first answer (a read's ETag); a replayed answer carries none. */
  headers?: Record<string, string>;
  /**
   * A file answered as itself instead of the envelope (an original PDF, a certificate), its type in `headers`
   * (http/content-disposition.ts pdfFileHeaders): API
   * Gateway turns the base64 body back into bytes. Only for routes without idempotency, which stores `data` only.
   */
  file?: Uint8Array;
}

/** A page's whole answer, and the code the access log names for it (OK, or the refusal's). */
export interface PageAnswer {
  response: APIGatewayProxyStructuredResultV2;
  code: string;
}

/**
 * The HTML a route answers instead of the envelope when the caller's Accept prefers it (the signer's page; built
 * by http/page-route.ts, which only the functions with a page bundle): the same stack runs it, and its failures.
 */
export interface PageRoute {
  /** Content negotiation: whether this request gets the page (its Accept prefers HTML) rather than the envelope. */
  wanted: (event: APIGatewayProxyEventV2) => boolean;
  /** Reads the request its own way (a form body within `maxBodyBytes`) and renders the page. */
  handle: (event: APIGatewayProxyEventV2, maxBodyBytes: number, requestId: string) => Promise<PageAnswer>;
  /** Any failure as a page of its own (never a stack trace), classified as errorResponse classifies it. */
  failure: (error: unknown, requestId: string) => PageAnswer & { errorClass: ErrorClass };
}

export interface RouteDefinition<
  S extends z.ZodMiniType,
  A extends AppAuth,
  D extends Record<string, unknown> | boolean,
> {
  auth: A;
  /** Whether the route reads a JSON object body: GET routes take none; an optional body may be left out. */
  body: BodyRule;
  /** Validates the body's fields together with the path parameters (which win on a name clash). */
  schema: S;
  /** A transport refusal decided from the event alone, before the body is read or the app authenticated. */
  refuseEarly?: (event: APIGatewayProxyEventV2) => TransportRefusal | undefined;
  /** Refusals decided from the input alone, before any store call, an Idempotency-Key's included. */
  precheck?: (input: z.output<S>) => void;
  handle: (request: RouteInput<z.output<S>, A>) => Promise<RouteResult<D>>;
  /**
   * When an `Idempotency-Key` header makes a retry return the first answer: the operation's name and the runner,
   * loaded on the first call with a key. Only what `handle` returns is stored, so it must hold nothing secret.
   */
  idempotency?: {
    operation: string;
    runner: LoadIdempotencyRunner;
    /**
     * What of the input a retry is compared by, when it holds a secret (an access code): the key's records keep a
     * fast hash of it, which a short secret must not reach in clear. Default: the input itself.
     */
    comparedInput?: (input: z.output<S>) => unknown;
  };
  /** Whether the route honours `If-Match`: parsed (a malformed one is 400) before any store call. */
  conditional?: boolean;
  /**
   * Adds what must never be stored (signing links, an upload URL) to the first answer and to every replay alike;
   * may be async (an upload URL is signed with credentials the SDK may have to fetch).
   */
  reveal?: (data: D, request: RouteInput<z.output<S>, A>) => unknown;
  /** The page a browser gets instead (Accept prefers text/html, http/accept.ts): the signing routes. */
  page?: PageRoute;
}

/** What the middlewares learn about a request before the route handles it. */
interface RouteContext extends Context {
  /** The route's page when this request gets it (decided first), else unset: the envelope. */
  page?: PageRoute | undefined;
  /** The access log's code of a page answered without an error (a refusal the page shows as the request's state). */
  pageCode?: string;
  body?: JsonObject;
  app?: App;
  /** The app's rate as this call found it: set once the app is authenticated, for the X-RateLimit headers. */
  rateLimit?: RateDecision;
}

/** A function as Lambda (or the local server) invokes it for an HTTP API event. */
export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

type RouteRequest = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, RouteContext>;
type RouteMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, RouteContext>;

/**
 * The X-RateLimit headers (the names DocuSign and Dropbox Sign use) of every answer after the app is
 * authenticated, success and refusal alike: the burst, the whole tokens left as this container sees them
 * (approximate: other containers spend from the same bucket), and the seconds until the bucket is full again.
 */
const rateLimitHeaders = (decision: RateDecision | undefined): Record<string, string> =>
  decision
    ? {
        'x-ratelimit-limit': String(decision.rate.burst),
        'x-ratelimit-remaining': String(decision.remaining),
        'x-ratelimit-reset': String(decision.resetSeconds),
      }
    : {};

/**
 * Outermost: decides the answer (the page when the route has one and Accept prefers HTML, else the envelope),
 * turns every error into that answer, and logs one line per request, never a path or a token: the app's id
 * (never its token) once one is authenticated, so a metric filter can count an app's RATE_LIMITED answers.
 */
const answerAndAccessLog = (logger: Logger, page: PageRoute | undefined): RouteMiddleware => {
  const started = new WeakMap<object, number>();
  const log = (request: RouteRequest, code: string) => {
    const duration = Date.now() - (started.get(request) ?? Date.now());
    logger.info('request', {
      route: request.event.routeKey,
      status: request.response?.statusCode,
      code,
      durationMs: duration,
      ...(request.context.app ? { appId: request.context.app.appId } : {}),
      ...(request.context.page ? { page: true } : {}),
    });
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
      request.context.page = page?.wanted(request.event) ? page : undefined;
      delete request.context.pageCode;
      delete request.context.app;
      delete request.context.rateLimit;
    },
    after: (request) => {
      request.response = {
        ...request.response,
        headers: {
          ...request.response?.headers,
          ...rateLimitHeaders(request.context.rateLimit),
          'x-request-id': request.context.awsRequestId,
        },
      };
      log(request, request.context.pageCode ?? 'OK');
    },
    onError: (request) => {
      const requestId = request.context.awsRequestId;
      const { response, errorClass, code } = (request.context.page?.failure ?? errorResponse)(request.error, requestId);
      if (errorClass === 'internal')
        logger.error('unhandled error', { route: request.event.routeKey, error: request.error });
      if (errorClass === 'unavailable')
        logger.warn('store unavailable', { route: request.event.routeKey, error: request.error });
      request.response = {
        ...response,
        headers: { ...response.headers, ...rateLimitHeaders(request.context.rateLimit), 'x-request-id': requestId },
      };
      log(request, code);
    },
  };
};

const earlyRefusal = (refuse: RouteDefinition<z.ZodMiniType, AppAuth, boolean>['refuseEarly']): RouteMiddleware => ({
  before: (request) => {
    const refusal = refuse?.(request.event);
    if (refusal) throw refusal;
  },
});

const jsonObjectBody = (rule: BodyRule, maxBodyBytes: number): RouteMiddleware => ({
  before: (request) => {
    const { body, isBase64Encoded, headers } = request.event;
    request.context.body = {};
    // A page reads its own body (a form).
    if (request.context.page) return;
    if (rule === 'none') return;
    if (rule === 'optional-json' && (body === undefined || body === '')) {
      refuseDeclaredNonJson(headers['content-type']);
      return;
    }
    request.context.body = parseJsonObjectBody(body, {
      isBase64Encoded,
      contentType: headers['content-type'],
      maxBytes: maxBodyBytes,
    });
  },
});

const bearerToken = (authorization: string | undefined): string | undefined =>
  /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];

const appTokenAuth = (auth: AppAuth, appTokens: HttpRuntime['appTokens']): RouteMiddleware => ({
  before: async (request) => {
    if (auth === 'none') return;
    const token = auth === 'body' ? request.context.body?.appToken : bearerToken(request.event.headers.authorization);
    const app =
      typeof token === 'string' && token.length > 0 && token.length <= 512 ? await appTokens.find(token) : undefined;
    if (!app) throw refusals.invalidAppToken();
    request.context.app = app;
  },
});

/**
 * Right after authentication, before anything else is read or decided: an app over its rate is refused here
 * (429 RATE_LIMITED), having cost nothing but the token lookup. Idempotent replays count like any call.
 */
const appRateLimit = (rateLimiter: HttpRuntime['rateLimiter']): RouteMiddleware => ({
  before: async (request) => {
    const { app } = request.context;
    if (!app) return;
    const decision = await rateLimiter.take(app);
    request.context.rateLimit = decision;
    if (!decision.admitted) {
      throw transportRefusals.rateLimited(decision.rate.ratePerSecond, decision.rate.burst, decision.retryAfterSeconds);
    }
  },
});

/**
 * What a route's schema validates: the body's fields with the path parameters; a body field named like a path
 * parameter is refused by name (validation.ts). A body's app token was consumed by authentication: it is no field
 * of the schema, and must not be refused as unknown.
 */
export const fieldsToValidate = (
  auth: AppAuth,
  body: JsonObject | undefined,
  pathParameters: Record<string, string | undefined> | undefined,
): JsonObject => {
  const fields = { ...body };
  refusePathParameterFields(fields, Object.keys(pathParameters ?? {}));
  if (auth === 'body') delete fields.appToken;
  return { ...fields, ...pathParameters };
};

/** 1-255 printable ASCII characters, as the Idempotency-Key header is documented. */
const IDEMPOTENCY_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * (primary adapter) An HTTP route as a Lambda handler with the one middy stack every route has, JSON and page:
 * answer (envelope or page) + access log -> Lambda context in logs -> header normalisation -> early refusal ->
 * JSON body -> app token -> the app's rate -> handle (or the page's own). Order of checks is the contract's: parse, authenticate,
 * validate, then decide.
 */

export const httpRoute = <S extends z.ZodMiniType, A extends AppAuth, D extends Record<string, unknown> | boolean>(
  runtime: HttpRuntime,
  definition: RouteDefinition<S, A, D>,
): HttpHandler => {
  const { logger } = runtime;
  const stack = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, RouteContext>()
    .use(answerAndAccessLog(logger, definition.page))
    // Never log the event: it carries app tokens (bodies, headers) and signing tokens (paths).
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(httpHeaderNormalizer())
    .use(earlyRefusal(definition.refuseEarly))
    .use(jsonObjectBody(definition.body, runtime.maxBodyBytes))
    .use(appTokenAuth(definition.auth, runtime.appTokens))
    .use(appRateLimit(runtime.rateLimiter))
    .handler(async (event, context) => {
      if (context.page) {
        const { response, code } = await context.page.handle(event, runtime.maxBodyBytes, context.awsRequestId);
        context.pageCode = code;
        return response;
      }
      const input = validate(definition.schema, fieldsToValidate(definition.auth, context.body, event.pathParameters));
      definition.precheck?.(input);
      const ifMatch = definition.conditional ? parseIfMatch(event.headers['if-match']) : undefined;
      const request: RouteInput<z.output<S>, A> = {
        input,
        // appTokenAuth has set the app for every route whose auth is not 'none', and left it unset otherwise.
        app: context.app as RouteInput<z.output<S>, A>['app'],
        event,
        requestId: context.awsRequestId,
        ifMatch,
      };
      const key = event.headers['idempotency-key'];
      const { idempotency } = definition;
      let outcome: { result: RouteResult<D>; replayed: boolean };
      if (idempotency && key !== undefined && context.app) {
        if (!IDEMPOTENCY_KEY.test(key)) throw transportRefusals.invalidIdempotencyKey();
        const compared = idempotency.comparedInput ? idempotency.comparedInput(input) : (input as unknown);
        const call = { appId: context.app.appId, operation: idempotency.operation, key, input: compared };
        const runIdempotently = await idempotency.runner();
        const ran = await runIdempotently(call, context, () => definition.handle(request));
        if (!ran.ok) {
          throw ran.refused === 'key-reused'
            ? transportRefusals.idempotencyKeyReused()
            : transportRefusals.idempotencyInProgress();
        }
        outcome = ran;
      } else {
        outcome = { result: await definition.handle(request), replayed: false };
      }
      const { statusCode, data, headers, file } = outcome.result;
      const response = file
        ? fileResponse(statusCode, file)
        : successResponse(statusCode, definition.reveal ? await definition.reveal(data, request) : data);
      if (headers && !outcome.replayed) response.headers = { ...response.headers, ...headers };
      if (outcome.replayed) response.headers = { ...response.headers, 'idempotent-replayed': 'true' };
      return response;
    });
  return (event, context) => stack(event, context);
};
