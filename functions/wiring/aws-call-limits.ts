/** Where a client is pointed instead of AWS (the tests' silent server), and with which credentials. */
export interface AwsClientTarget {
  endpoint?: string;
  region?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Per attempt: the connection within 1 s, the answer's headers within 2 s of starting (connecting included).
 * `throwOnRequestTimeout` is what makes the request timeout fire: without it @smithy/node-http-handler only
 * logs a warning and the call waits as long as the function lives. The timeout is a TimeoutError, which the
 * SDK's standard retry strategy retries; 3 attempts and its backoff end a call to a hung service after about
 * 6.5 s, inside Lambda's 10 s init phase (where the signing keys are read) and the functions' 15 s timeout.
 * SES, EventBridge and Secrets Manager answer in tens of milliseconds when well.
 */
export const AWS_CALL_LIMITS = {
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
} as const;

/**
 * The settings every AWS SDK client but the store's is built with (SES, EventBridge, Secrets Manager):
 * `new SESv2Client(boundedAwsClientConfig())`. The store client has its own (functions/store/client.ts).
 */
export const boundedAwsClientConfig = (target: AwsClientTarget = {}) => ({
  ...target,
  maxAttempts: AWS_CALL_LIMITS.maxAttempts,
  requestHandler: {
    connectionTimeout: AWS_CALL_LIMITS.connectionTimeoutMs,
    requestTimeout: AWS_CALL_LIMITS.requestTimeoutMs,
    throwOnRequestTimeout: true,
  },
});
