import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DomainError } from '../core/errors.ts';
import { isUnavailable } from '../runtime/unavailable.ts';
import { prefersHtml } from './accept.ts';
import { statusOfKind, type ErrorClass } from './error-response.ts';
import { TransportRefusal, transportRefusals } from './refusals.ts';
import type { PageAnswer, PageRoute } from './route.ts';
import { renderMessagePage, SIGNING_PAGE_HEADERS } from './signing-page.ts';

export interface PageResult {
  statusCode: number;
  html: string;
  /** For the access log: OK, or the refusal's code. */
  code: string;
  /** When the same request may succeed later: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
  /** Headers of this answer alone: a redirect's Location, a pass's Set-Cookie. */
  headers?: Record<string, string>;
}

export type FormFields = Record<string, string>;

const FORM_CONTENT_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * A browser's form body: `application/x-www-form-urlencoded` only, within the same size limit as JSON bodies. Each
 * field once: a repeated one is refused, not silently picked.
 */
const parseFormBody = (event: APIGatewayProxyEventV2, maxBytes: number): FormFields => {
  const { body } = event;
  const contentType = event.headers['content-type'];
  // An empty body is no fields, unless it declares a type the page does not take (as a non-empty one would be).
  if (body === undefined || body === '') {
    if (contentType !== undefined && !FORM_CONTENT_TYPE.test(contentType)) throw formOnly();
    return {};
  }
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.byteLength > maxBytes) throw transportRefusals.payloadTooLarge(maxBytes);
  if (!FORM_CONTENT_TYPE.test(contentType ?? '')) throw formOnly();
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
const refusalPage = (error: unknown, requestId: string): PageResult & { errorClass: ErrorClass } => {
  if (error instanceof DomainError || error instanceof TransportRefusal) {
    const rule = error.rules[0];
    return {
      ...page(statusOfKind(error.kind), 'This did not work', rule?.Message ?? error.code, error.code),
      errorClass: 'refusal',
    };
  }
  if (isUnavailable(error)) {
    return {
      ...page(
        503,
        'Please try again',
        'The service is busy right now; try again in a few seconds.',
        'SERVICE_UNAVAILABLE',
      ),
      errorClass: 'unavailable',
    };
  }
  return {
    ...page(
      500,
      'Something went wrong',
      `Something went wrong on our side. Quote request id ${requestId} if you contact support.`,
      'INTERNAL_ERROR',
    ),
    errorClass: 'internal',
  };
};

/** A page as the HTTP answer, with the signing page's headers (its Content-Security-Policy among them). */
export const pageResponse = (result: PageResult, requestId: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: result.statusCode,
  headers: {
    ...SIGNING_PAGE_HEADERS,
    'x-request-id': requestId,
    ...(result.statusCode === 503 ? { 'retry-after': '1' } : {}),
    ...(result.retryAfterSeconds !== undefined ? { 'retry-after': String(result.retryAfterSeconds) } : {}),
    ...result.headers,
  },
  body: result.html,
});

/** Any failure a page route does not answer itself, as a page of its own (PageRoute.failure). */
export const pageFailure: PageRoute['failure'] = (error, requestId) => {
  const { errorClass, ...result } = refusalPage(error, requestId);
  return { response: pageResponse(result, requestId), code: result.code, errorClass };
};

/**
 * The page a route answers a person's browser with instead of the envelope (RouteDefinition.page): run by the
 * route's one middy stack (http/route.ts: the same access log, Lambda context and normalised headers), it reads
 * a form body for POSTs and answers every failure as a page of its own (never a stack trace).
 */
export const pageRoute = (
  handle: (event: APIGatewayProxyEventV2, form: FormFields) => Promise<PageResult>,
): PageRoute => ({
  // API Gateway (payload 2.0) and the local server hand header names over in lower case.
  wanted: (event) => prefersHtml(event.headers?.accept),
  handle: async (event, maxBodyBytes, requestId): Promise<PageAnswer> => {
    const form = event.requestContext.http.method === 'POST' ? parseFormBody(event, maxBodyBytes) : {};
    const result = await handle(event, form);
    return { response: pageResponse(result, requestId), code: result.code };
  },
  failure: pageFailure,
});
