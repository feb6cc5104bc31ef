import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  EventBridgeEvent,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import type { FailRule } from '../core/errors.ts';
import { failureEnvelope, type Envelope } from './envelope.ts';
import type { HttpHandler } from './route.ts';

/** A function that answers API Gateway as an HTTP API and every other invoker with the envelope itself. */
export interface LambdaEntry extends HttpHandler {
  (event: unknown, context: Context): Promise<APIGatewayProxyStructuredResultV2 | Envelope<unknown> | SQSBatchResponse>;
}

/** Thrown so the invoker's own retry policy applies (Lambda async retries, Step Functions Retry, SQS redrive). */
export class RetryableInvocationError extends Error {
  constructor(readonly envelope: Envelope<unknown>) {
    super(`retryable failure: ${envelope.FailRules.map((rule) => rule.Code).join(', ')}`);
    this.name = 'RetryableInvocationError';
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isHttpApiEvent = (event: unknown): event is APIGatewayProxyEventV2 =>
  isObject(event) && event.version === '2.0' && isObject(event.requestContext) && isObject(event.requestContext.http);

const isEventBridgeEvent = (event: unknown): event is EventBridgeEvent<string, unknown> =>
  isObject(event) && typeof event['detail-type'] === 'string' && typeof event.id === 'string' && 'detail' in event;

const isSqsEvent = (event: unknown): event is SQSEvent =>
  isObject(event) &&
  Array.isArray(event.Records) &&
  event.Records.length > 0 &&
  event.Records.every((record) => isObject(record) && record.eventSource === 'aws:sqs');

const UNSUPPORTED: Envelope<unknown> = failureEnvelope([
  {
    Code: 'UNSUPPORTED_EVENT',
    Message: 'Invoke with the JSON body itself, an EventBridge event whose detail is the body, or an SQS batch',
  },
]);

/** The HTTP API event API Gateway would build for this body, so a direct call takes the very same path. */
const asHttpEvent = (routeKey: string, body: string, idempotencyKey: string | undefined): APIGatewayProxyEventV2 => {
  const [method = 'POST', path = '/'] = routeKey.split(' ');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    requestContext: {
      accountId: '',
      apiId: 'direct',
      // No domain: without SIGNING_BASE_URL, signing links come back as paths (/v1/signing/...).
      domainName: '',
      domainPrefix: '',
      // No caller address and no User-Agent: the invoker is an AWS service or function, not a client at an
      // address, so the act's history entry records none (http/caller-evidence.ts) rather than a made-up one.
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '', userAgent: '' },
      requestId: '',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body,
    isBase64Encoded: false,
  };
};

/**
 * (primary adapter) Lets EventBridge, Step Functions, SQS or another function invoke an HTTP route's function
 * directly with the KAiZEN JSON body. The body goes through the same middy stack as over HTTP (parse,
 * authenticate, the app's rate, validate, decide), so a direct call counts against its app's rate like any
 * other; the answer is the envelope. Refusals are answers; a store outage, an internal error or RATE_LIMITED
 * throws, so the invoker retries. EventBridge's event id and SQS's message id serve as the
 * Idempotency-Key, so a redelivered event gets the first answer instead of acting twice.
 */
export const acceptDirectInvocation = (routeKey: string, http: HttpHandler): LambdaEntry => {
  const invoke = async (body: string, idempotencyKey: string | undefined, context: Context) => {
    const response = await http(asHttpEvent(routeKey, body, idempotencyKey), context);
    const envelope = JSON.parse(response.body ?? '{}') as Envelope<unknown>;
    // An app over its rate will succeed later: its invoker retries it (SQS redrives it) rather than drop it.
    const rateLimited = (envelope.FailRules as FailRule[] | undefined)?.some((rule) => rule.Code === 'RATE_LIMITED');
    if ((response.statusCode ?? 500) >= 500 || rateLimited === true) throw new RetryableInvocationError(envelope);
    return envelope;
  };

  const entry = async (event: unknown, context: Context) => {
    if (isHttpApiEvent(event)) return http(event, context);
    if (isSqsEvent(event)) {
      const failures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        // A refusal (bad JSON, bad token, already cancelled) will never succeed, so only failures are redriven.
        await invoke(record.body, record.messageId, context).catch(() =>
          failures.push({ itemIdentifier: record.messageId }),
        );
      }
      return { batchItemFailures: failures };
    }
    if (isEventBridgeEvent(event)) return invoke(JSON.stringify(event.detail) ?? '', event.id, context);
    if (isObject(event) && !('Records' in event)) return invoke(JSON.stringify(event), undefined, context);
    return UNSUPPORTED;
  };
  // entry answers an HTTP API event with the HTTP result, as HttpHandler promises; TS cannot see that overload.
  return entry as LambdaEntry;
};
