import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorResponse } from '../http/error-response.ts';
import { transportRefusals } from '../http/refusals.ts';
import { matchRoute } from '../route-match.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';

/**
 * The methods the route table does not serve on one of its paths (API Gateway routes them here through an `ANY`
 * route per path, infra/constructs/route-table-api.ts). It answers exactly what the local server answers, from
 * the same matcher: 405 METHOD_NOT_ALLOWED with `Allow`, in the envelope, instead of API Gateway's own
 * `{"message":"Not Found"}`. It reads no store and no secret, and logs nothing: the access log already records
 * the route key and status, never a path (a signing path carries a token).
 */
const answerUnrouted = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const match = matchRoute(event.requestContext.http.method, event.rawPath);
  // `matched` is a method API Gateway serves on no route of its own (HEAD, say): refused like any other method.
  const refusal =
    match.kind === 'not-found'
      ? transportRefusals.routeNotFound()
      : transportRefusals.methodNotAllowed(match.kind === 'method-not-allowed' ? match.allowed : [match.route.method]);
  return Promise.resolve(errorResponse(refusal, event.requestContext.requestId).response);
};

export const handler = await lambdaHandler(() => answerUnrouted);
