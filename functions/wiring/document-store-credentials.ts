import type { AwsClientTarget } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';

/**
 * As storeCredentials (wiring/store-access.ts) for the documents bucket: placeholders whenever S3_ENDPOINT is set
 * and AWS_ACCESS_KEY_ID is not, else the SDK's own. The placeholders are s3rver's one known key (it refuses any
 * other key id, though it checks no signature); they are never real ones.
 */
export const documentStoreCredentials = (
  endpoint: string | undefined,
  env: Environment,
): AwsClientTarget['credentials'] | undefined =>
  endpoint !== undefined && !env.AWS_ACCESS_KEY_ID ? { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } : undefined;
