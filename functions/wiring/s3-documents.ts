import { S3Client } from '@aws-sdk/client-s3';
import { DocumentStore } from '../documents/document-store.ts';
import { boundedAwsClientConfig, AWS_CALL_LIMITS } from '../runtime/aws-call-limits.ts';
import type { Environment } from '../runtime/environment.ts';
import { documentStoreCredentials } from './document-store-credentials.ts';

/**
 * A document's put is up to 25 MiB (an upload checked at initiate): its answer may take longer than a store
 * call's (in-region, 25 MiB is well under a second of S3's throughput), still inside initiate's timeout
 * (3 attempts of at most 1 s + 4 s).
 */
const DOCUMENT_CALL_LIMITS = { ...AWS_CALL_LIMITS, requestTimeoutMs: 4_000 };

/**
 * The documents bucket through the real S3 client; S3_ENDPOINT points it at an S3-compatible server instead
 * (s3rver locally and in the tests), path-style as such servers need. This module is the one that loads the S3
 * SDK, and it is loaded only when a call first touches a document (wiring/documents.ts says how).
 */
export const s3DocumentStore = (env: Environment, bucket: string): DocumentStore => {
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
  return new DocumentStore(client, bucket);
};
