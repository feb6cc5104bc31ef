import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * The HTTP API (payload 2.0) event API Gateway hands a function, for invoking a handler in-process. Built
 * before the clock starts: in AWS the gateway builds it, not the function.
 */
export const apiGatewayEvent = (
  method: 'GET' | 'POST',
  routeKeyPath: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; pathParameters?: Record<string, string> } = {},
): APIGatewayProxyEventV2 => {
  const now = new Date();
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    host: 'bench.local',
    'user-agent': 'esign-recall-bench',
    'x-forwarded-proto': 'https',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  return {
    version: '2.0',
    routeKey: `${method} ${routeKeyPath}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'esign-recall-bench' },
      requestId: `bench-${now.getTime()}`,
      routeKey: `${method} ${routeKeyPath}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
  };
};

export const RECALL_REASON = { recallReason: 'Request raised mistakenly', recalledBy: 'Mohit Bansal' };

export const recallEvent = (signRequestId: string, appToken: string): APIGatewayProxyEventV2 =>
  apiGatewayEvent('POST', '/v1/sign-requests/recall', '/v1/sign-requests/recall', {
    body: { signRequestId, appToken, ...RECALL_REASON },
  });
