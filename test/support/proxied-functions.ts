import { inject } from 'vitest';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { httpApiDependencies } from '../../functions/wiring/http-api.ts';
import { localFunctionDependencies } from '../../infra/local/handlers.ts';
import { startFaultProxy } from './fault-proxy.ts';

/**
 * The HTTP functions with their store client behind a real fault-injecting TCP proxy to the run's embedded store;
 * tests read what the store holds straight from it (test/support/dependencies.ts), not through the proxy.
 */
export const proxiedFunctions = async () => {
  const proxy = await startFaultProxy({ target: inject('dynamodbEndpoint') });
  const env = { ...readEnvironment(), DYNAMODB_ENDPOINT: proxy.endpoint };
  const functions = await localFunctionDependencies(env, httpApiDependencies(env));
  const close = async () => {
    functions.dynamoClient.destroy();
    await proxy.close();
  };
  return { proxy, functions, close };
};
