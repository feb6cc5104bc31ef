import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
// The committed document (npm run openapi writes it; test/unit/openapi.test.ts fails when it drifts from the
// code). esbuild inlines it into this function's bundle alone: no other function carries it.
import document from '../../openapi.json' with { type: 'json' };
import type { HttpHandler } from '../http/route.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';

/** Serialised once per container: the document never changes while a function lives. */
const body = JSON.stringify(document);

/** GET /openapi.json: the API's OpenAPI 3.1 description, for code generators and the docs page (/docs). */
export const createOpenApiHandler = (): HttpHandler => (_event, context) =>
  Promise.resolve<APIGatewayProxyStructuredResultV2>({
    statusCode: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      // Cached briefly and revalidated: a deploy changes it, and it is never secret.
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      'access-control-allow-origin': '*',
      'x-request-id': context.awsRequestId,
    },
    body,
  });

export const handler = await lambdaHandler(createOpenApiHandler);
