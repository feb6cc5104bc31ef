import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, storeCredentials } from '../../functions/wiring/store-access.ts';

const placeholders = { accessKeyId: 'local', secretAccessKey: 'local' };

afterEach(() => vi.unstubAllEnvs());

describe('the credentials a store client is built with', () => {
  it('placeholders whenever an endpoint is set and AWS_ACCESS_KEY_ID is not; otherwise the SDK finds its own', () => {
    expect(storeCredentials('http://127.0.0.1:8000', {})).toEqual(placeholders);
    expect(storeCredentials('http://127.0.0.1:8000', { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' })).toBeUndefined();
    expect(storeCredentials(undefined, {})).toBeUndefined();
  });

  it('decides from the settings openStore is given, not from the process environment', async () => {
    // The process has credentials, the settings do not: the settings decide, so the store gets placeholders.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFROMPROCESS');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret-from-process');
    const { dynamoClient } = openStore({ TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000' });
    try {
      expect(await dynamoClient.config.credentials()).toMatchObject(placeholders);
    } finally {
      dynamoClient.destroy();
    }
  });
});
