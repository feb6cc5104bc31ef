import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError } from '../core/errors.ts';
import { isStoreUnavailable } from '../store/errors.ts';
import { statusOfKind } from './error-response.ts';
import { TransportRefusal, transportRefusals } from './refusals.ts';
import type { HttpHandler, HttpRuntime } from './route.ts';
import { renderMessagePage, SIGNING_PAGE_HEADERS } from './signing-page.ts';

export interface PageResult {
  statusCode: number;
  html: string;
  /** For the access log: OK, or the refusal's code. */
  code: string;
}

export type FormFields = Record<string, string>;

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * A browser's form body: `application/x-www-form-urlencoded` only, within the same size limit as JSON bodies. Each
 * field once: a repeated one is refused, not silently picked.
 */
const parseFormBody = (event: APIGatewayProxyEventV2, maxBytes: number): FormFields => {
  const { body } = event;
  if (body === undefined || body === '') return {};
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.byteLength > maxBytes) throw transportRefusals.payloadTooLarge(maxBytes);
  if (!FORM_CONTENT_TYPE.test(event.headers['content-type'] ?? '')) throw formOnly();
  // A Map, not an object: a field named `constructor` or `__proto__` is a field like any other (and then refused
  // by name as unknown), never mistaken for one already given or dropped.
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(bytes.toString('utf8'))) {
    if (fields.has(name))
      throw new DomainError('bad-request', [
        { Code: 'VALIDATION_FAILED', Message: `${name} is given more than once`, Field: name },
      ]);
    fields.set(name, value);
  }
  return Object.fromEntries(fields);
};

const formOnly = () =>
  new TransportRefusal('unsupported-media-type', [
    { Code: 'UNSUPPORTED_MEDIA_TYPE', Message: 'Send the form as application/x-www-form-urlencoded' },
  ]);

const page = (statusCode: number, title: string, message: string, code: string): PageResult => ({
  statusCode,
  html: renderMessagePage(title, message),
  code,
});

/** What a refusal the page itself does not handle looks like to a person: a short page with its message. */
const refusalPage = (error: unknown, requestId: string): PageResult & { unexpected: boolean } => {
  if (error instanceof DomainError || error instanceof TransportRefusal) {
    const rule = error.rules[0];
    return {
      ...page(statusOfKind(error.kind), 'This did not work', rule?.Message ?? error.code, error.code),
      unexpected: false,
    };
  }
  if (isStoreUnavailable(error)) {
    return {
      ...page(
        503,
        'Please try again',
        'The service is busy right now; try again in a few seconds.',
        'SERVICE_UNAVAILABLE',
      ),
      unexpected: false,
    };
  }
  return {
    ...page(
      500,
      'Something went wrong',
      `Something went wrong on our side. Quote request id ${requestId} if you contact support.`,
      'INTERNAL_ERROR',
    ),
    unexpected: true,
  };
};

/**
 * (primary adapter) A route that answers a person's browser with an HTML page instead of the envelope: the same
 * logging as every route (one line, never a path or a token), the Lambda context in logs, normalised headers, a
 * form body for POSTs, and every failure as a page of its own (never a stack trace).
 */
export const pageRoute = (
  runtime: HttpRuntime,
  handle: (event: APIGatewayProxyEventV2, form: FormFields) => Promise<PageResult>,
): HttpHandler => {
  const { logger } = runtime;
  const stack = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    // Never log the event: its path carries the signer's token.
    .use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }))
    .use(httpHeaderNormalizer())
    .handler(async (event, context) => {
      const started = Date.now();
      let result: PageResult;
      try {
        const form = event.requestContext.http.method === 'POST' ? parseFormBody(event, runtime.maxBodyBytes) : {};
        result = await handle(event, form);
      } catch (error) {
        const refused = refusalPage(error, context.awsRequestId);
        if (refused.unexpected) logger.error('unhandled error', { route: event.routeKey, error });
        else if (refused.code === 'SERVICE_UNAVAILABLE')
          logger.warn('store unavailable', { route: event.routeKey, error });
        result = refused;
      }
      logger.info('request', {
        route: event.routeKey,
        status: result.statusCode,
        code: result.code,
        durationMs: Date.now() - started,
        page: true,
      });
      return {
        statusCode: result.statusCode,
        headers: {
          ...SIGNING_PAGE_HEADERS,
          'x-request-id': context.awsRequestId,
          ...(result.statusCode === 503 ? { 'retry-after': '1' } : {}),
        },
        body: result.html,
      };
    });
  return (event, context) => stack(event, context);
};
