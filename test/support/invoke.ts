import type { FailRule } from '../../functions/core/errors.ts';
import { buildApiGatewayEvent } from '../../infra/local/api-gateway-event.ts';
import { createLocalHandlers } from '../../infra/local/handlers.ts';
import { localLambdaContext } from '../../infra/local/lambda-context.ts';
import { matchRoute } from '../../functions/route-match.ts';
import { httpDependencies } from './dependencies.ts';

const localHandlers = createLocalHandlers(httpDependencies);

export interface Invocation {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Invokes the function a route names in-process, with the event API Gateway would build; no HTTP. */
export const invokeRoute = async ({ method, path, headers = {}, body }: Invocation) => {
  const match = matchRoute(method, path);
  if (match.kind !== 'matched') throw new Error(`no route for ${method} ${path}`);
  const event = buildApiGatewayEvent({
    method,
    url: path,
    headers: { host: 'localhost', ...headers },
    body: Buffer.from(body ?? '', 'utf8'),
    route: match,
    requestId: 'fuzz',
  });
  const result = await localHandlers[match.route.handler](event, localLambdaContext(match.route.handler));
  return { statusCode: result.statusCode ?? 0, headers: result.headers ?? {}, body: result.body ?? '' };
};

/** Parses an answer as the envelope, failing if it is anything else. */
export const envelopeOf = (body: string): { FailRules: FailRule[]; Data: unknown } => {
  const parsed = JSON.parse(body) as unknown;
  if (typeof parsed !== 'object' || parsed === null || !('FailRules' in parsed) || !('Data' in parsed)) {
    throw new Error(`not an envelope: ${body.slice(0, 200)}`);
  }
  return parsed as { FailRules: FailRule[]; Data: unknown };
};
