import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { localLambdaContext } from '../infra/local/lambda-context.ts';

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** An invocation prepared ahead, as Lambda would hand it over: the event and a context with its own request id. */
export interface Invocation {
  event: APIGatewayProxyEventV2;
  context: Context;
}

export const prepare = (functionName: string, events: readonly APIGatewayProxyEventV2[]): Invocation[] =>
  events.map((event) => ({ event, context: localLambdaContext(functionName) }));

/** Invokes in-process, as the Lambda runtime does; true for the 2xx a valid call must get. */
export const invoke = async (handler: LambdaHandler, { event, context }: Invocation): Promise<boolean> => {
  const { statusCode = 200 } = await handler(event, context);
  return statusCode >= 200 && statusCode < 300;
};
