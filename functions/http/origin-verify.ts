import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { failureResponse } from './envelope.ts';
import { ORIGIN_VERIFY_HEADER } from './origin-verify-names.ts';

type Entry = (event: never, context: Context) => Promise<unknown>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** An event API Gateway built (payload 2.0): the one kind of event that can come from the internet. */
const isHttpApiEvent = (event: unknown): event is APIGatewayProxyEventV2 =>
  isObject(event) && event.version === '2.0' && isObject(event.requestContext) && isObject(event.requestContext.http);

/** Digests first, so the comparison takes the same time whatever the lengths, and reveals neither. */
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** API Gateway lowercases header names in payload 2.0; any other spelling is looked up too. */
const headerOf = (event: APIGatewayProxyEventV2, name: string): string | undefined => {
  const { headers } = event;
  if (headers[name] !== undefined) return headers[name];
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
};

/** Said to whoever calls the execute-api URL directly: they skipped the web ACL, and get nothing else. */
const refusal = (event: APIGatewayProxyEventV2): APIGatewayProxyStructuredResultV2 =>
  failureResponse(403, [{ Code: 'FORBIDDEN', Message: 'Call this API at its public URL' }], {
    'x-request-id': event.requestContext.requestId,
  });

/**
 * The door behind CloudFront. CloudFront adds `x-origin-verify` with a secret value to every request it forwards
 * (infra/constructs/public-edge.ts); API Gateway's own execute-api URL still answers, and a caller using it would
 * skip AWS WAF's per-address limits. So when the function is given the value to expect (ORIGIN_VERIFY_HEADER_VALUE,
 * set by CDK on every API function), an HTTP API event without it is answered 403 before anything is read:
 * no body, no token, no store. Other events (a direct invocation, a queue's batch) come through Lambda's Invoke
 * API, which IAM authorises, and pass untouched. Without a value (the local server, tests) nothing is checked.
 * The value is compared in constant time and is never logged or put in an answer.
 */
export const originVerified = <H extends Entry>(handler: H, expected: string | undefined): H => {
  if (expected === undefined || expected === '') return handler;
  const wanted = digest(expected);
  const guarded = async (event: unknown, context: Context) => {
    if (isHttpApiEvent(event)) {
      const given = headerOf(event, ORIGIN_VERIFY_HEADER);
      if (given === undefined || !timingSafeEqual(digest(given), wanted)) return refusal(event);
    }
    return (handler as unknown as (event: unknown, context: Context) => Promise<unknown>)(event, context);
  };
  // The guard passes every argument through unchanged, so it is called exactly as the handler is.
  return guarded as unknown as H;
};
