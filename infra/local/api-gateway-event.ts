import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

const TEXT_CONTENT_TYPE = /^(text\/|application\/([\w.+-]+\+)?(json|xml|x-www-form-urlencoded)\b)/i;

export interface HttpRequestParts {
  method: string;
  /** Path and query, as on the request line. */
  url: string;
  /** Lower-case names; repeated headers already joined with commas. */
  headers: Record<string, string>;
  body: Buffer;
  route: { routeKey: string; pathParameters: Record<string, string> };
  requestId: string;
  sourceIp?: string;
  protocol?: string;
}

/**
 * The API Gateway HTTP API (payload 2.0) event AWS would hand the function for this request: path
 * parameters decoded, binary bodies base64-encoded, the scheme in x-forwarded-proto.
 */
export const buildApiGatewayEvent = (request: HttpRequestParts): APIGatewayProxyEventV2 => {
  const url = new URL(request.url, 'http://localhost');
  const { cookie, ...others } = request.headers;
  // Payload 2.0 hands cookies over apart, in `cookies`, and not as a header.
  const headers: Record<string, string> = { ...others, 'x-forwarded-proto': 'http' };
  const cookies = cookie === undefined ? [] : cookie.split(';').map((part) => part.trim());
  const contentType = headers['content-type'];
  const isText = contentType === undefined || TEXT_CONTENT_TYPE.test(contentType);
  // A Map, then own properties: API Gateway hands the function every parameter as a key of a JSON object, even
  // one named `__proto__` or `constructor`, which the function then refuses by name; a plain object here would
  // swallow `__proto__` and read `constructor` as already given.
  const values = new Map<string, string>();
  url.searchParams.forEach((value, key) => {
    const earlier = values.get(key);
    values.set(key, earlier === undefined ? value : `${earlier},${value}`);
  });
  const query: Record<string, string> = Object.fromEntries(values);
  const host = headers.host ?? 'localhost';
  const now = new Date();
  const { body } = request;
  return {
    version: '2.0',
    routeKey: request.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(request.route.pathParameters).length > 0 ? { pathParameters: request.route.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: request.method,
        path: url.pathname,
        protocol: request.protocol ?? 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: request.route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.byteLength > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.byteLength > 0 && !isText,
  };
};

/** The same event for a request that arrived at the local Node HTTP server. */
export const toApiGatewayEvent = (
  request: IncomingMessage,
  body: Buffer,
  route: HttpRequestParts['route'],
  requestId: string,
): APIGatewayProxyEventV2 => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return buildApiGatewayEvent({
    method: request.method ?? 'GET',
    url: request.url ?? '/',
    headers,
    body,
    route,
    requestId,
    // What the socket saw, as API Gateway's sourceIp is what connected to it; a socket already closed has no
    // address, and then none is given rather than a made-up one.
    sourceIp: request.socket.remoteAddress ?? '',
    protocol: `HTTP/${request.httpVersion}`,
  });
};
