import { S3Client } from '@aws-sdk/client-s3';
import { DocumentStore } from '../documents/document-store.ts';
import { boundedAwsClientConfig, AWS_CALL_LIMITS } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';
import type { AwsClientTarget } from '../runtime/aws-call-limits.ts';

/**
 * A document's put is up to 25 MiB (an upload checked at initiate): its answer may take longer than a store
 * call's (in-region, 25 MiB is well under a second of S3's throughput), still inside initiate's timeout
 * (3 attempts of at most 1 s + 4 s).
 */
const DOCUMENT_CALL_LIMITS = { ...AWS_CALL_LIMITS, requestTimeoutMs: 4_000 };

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

/** What the functions that take or serve a document are given: the bucket. */
export interface DocumentDependencies {
  documents: DocumentStore;
}

/**
 * The documents bucket (DOCUMENTS_BUCKET) through the real S3 client; S3_ENDPOINT points it at an
 * S3-compatible server instead (s3rver locally and in the tests), path-style as such servers need.
 */
export const documentDependencies = (env: Environment): DocumentDependencies => {
  const bucket = env.DOCUMENTS_BUCKET;
  if (!bucket) throw new Error('Invalid configuration: DOCUMENTS_BUCKET must name the documents bucket');
  const endpoint = env.S3_ENDPOINT || undefined;
  const credentials = documentStoreCredentials(endpoint, env);
  const client = new S3Client({
    ...boundedAwsClientConfig(
      {
        region: env.AWS_REGION ?? 'us-east-1',
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials } : {}),
      },
      DOCUMENT_CALL_LIMITS,
    ),
    ...(endpoint ? { forcePathStyle: true } : {}),
    // By default the SDK puts a CRC32 of the (absent) body into a presigned PUT's URL, which S3 then holds the
    // uploaded bytes to, refusing every real upload (aws-sdk-js-v3 since 3.729). Only operations that require a
    // checksum get one; the service hashes every document itself anyway (documents/inspect-pdf.ts).
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  return { documents: new DocumentStore(client, bucket) };
};
