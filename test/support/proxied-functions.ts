import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { loadConfig } from '../../functions/config.ts';
import { boundedAwsClientConfig, STORE_CALL_LIMITS } from '../../functions/runtime/aws-call-limits.ts';
import { readEnvironment } from '../../functions/runtime/environment.ts';
import { documentClientFor } from '../../functions/store/client.ts';
import { httpApiDependencies } from '../../functions/wiring/http-api.ts';
import { openStore, storeCredentials, type StoreAccess } from '../../functions/wiring/store-access.ts';
import { localFunctionDependencies } from '../../infra/local/handlers.ts';
import { startFaultProxy } from './fault-proxy.ts';

export interface ProxiedOptions {
  /**
   * The store client's attempts per call; default the functions' own. 1 is a client whose SDK retries nothing,
   * as one whose retry quota a brownout has spent: what a test then proves cannot rest on the SDK's retries.
   */
  maxAttempts?: number;
}

/** The functions' store access on `env`, with the functions' own call limits but for the attempts per call. */
const storeWithAttempts = (env: ReturnType<typeof readEnvironment>, maxAttempts: number): StoreAccess => {
  const config = loadConfig(env);
  const credentials = storeCredentials(config.dynamodbEndpoint, env);
  const dynamoClient = new DynamoDBClient(
    boundedAwsClientConfig(
      { region: config.region, endpoint: config.dynamodbEndpoint, ...(credentials ? { credentials } : {}) },
      { ...STORE_CALL_LIMITS, maxAttempts },
    ),
  );
  return { config, dynamoClient, documentClient: documentClientFor(dynamoClient) };
};

/**
 * The HTTP functions with their store client behind a real fault-injecting TCP proxy to the run's embedded store;
 * tests read what the store holds straight from it (test/support/dependencies.ts), not through the proxy.
 */
export const proxiedFunctions = async (options: ProxiedOptions = {}) => {
  const proxy = await startFaultProxy({ target: inject('dynamodbEndpoint') });
  const env = { ...readEnvironment(), DYNAMODB_ENDPOINT: proxy.endpoint };
  const store = options.maxAttempts === undefined ? openStore(env) : storeWithAttempts(env, options.maxAttempts);
  const functions = await localFunctionDependencies(env, httpApiDependencies(env, store));
  const close = async () => {
    functions.dynamoClient.destroy();
    await proxy.close();
  };
  return { proxy, functions, close };
};
