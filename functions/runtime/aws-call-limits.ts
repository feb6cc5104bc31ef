/** Where a client is pointed instead of AWS (the tests' silent server), and with which credentials. */
export interface AwsClientTarget {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** How long one AWS call may last: its attempts, and per attempt the time to connect and to get the answer. */
export interface AwsCallLimits {
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * Per attempt: the connection within 1 s, the answer's headers within 2 s of starting (connecting included).
 * `throwOnRequestTimeout` is what makes the request timeout fire: without it @smithy/node-http-handler only
 * logs a warning and the call waits as long as the function lives. The timeout is a TimeoutError, which the
 * SDK's standard retry strategy retries. A call to a hung service ends in about 6.5 s, and by these limits
 * within callBoundMs (9.6 s): inside Lambda's 10 s init phase (where the signing keys are read) and the
 * functions' 15 s timeout. SES, EventBridge and Secrets Manager answer in tens of milliseconds when well.
 */
export const AWS_CALL_LIMITS: AwsCallLimits = {
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
};

/**
 * The store's calls: 2.5 s for the answer, as a store write abandoned at its timeout may have landed and its
 * retry must then recognise it; a hung store still ends as a 503 in about 8 s (within callBoundMs: 11.1 s),
 * inside the functions' 15 s timeout (infra/constructs/project-function.ts).
 */
export const STORE_CALL_LIMITS: AwsCallLimits = { ...AWS_CALL_LIMITS, requestTimeoutMs: 2_500 };

/**
 * The webhook deliverer's ChangeMessageVisibility runs in the 3 s a queue consumer keeps back after handling
 * (DEADLINE_MARGIN_MS, functions/consumers/domain-event-queue.ts), before the batch's failures are reported: one
 * attempt of at most 1 s + 1 s fits, and a failed hold-back only brings the message back sooner.
 */
export const QUEUE_VISIBILITY_CALL_LIMITS: AwsCallLimits = {
  maxAttempts: 1,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
};

/**
 * The most the SDK's standard retry strategy waits before retry n (1, 2, ...) of a timed-out call: a random part
 * of 100 ms × 2^n (its base delay is 100 ms, 50 ms in newer versions; throttling answers wait longer, but a hung
 * service gives none).
 */
const retryBackoffCeilingMs = (retry: number) => 100 * 2 ** retry;

/**
 * The longest a call to a hung service can take by `limits`: every attempt waits out its connection and its
 * request timeout (in fact the two run together, so this overstates), plus the backoff before each retry.
 */
export const callBoundMs = (limits: AwsCallLimits): number => {
  let backoffMs = 0;
  for (let retry = 1; retry < limits.maxAttempts; retry++) backoffMs += retryBackoffCeilingMs(retry);
  return limits.maxAttempts * (limits.connectionTimeoutMs + limits.requestTimeoutMs) + backoffMs;
};

/**
 * The settings every AWS SDK client is built with: `new SESv2Client(boundedAwsClientConfig())`, or with the
 * limits a call needs instead of AWS_CALL_LIMITS (the store's, the queue visibility's).
 */
export const boundedAwsClientConfig = (target: AwsClientTarget = {}, limits: AwsCallLimits = AWS_CALL_LIMITS) => ({
  ...target,
  maxAttempts: limits.maxAttempts,
  requestHandler: {
    connectionTimeout: limits.connectionTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    throwOnRequestTimeout: true,
  },
});
