import { ulid } from 'ulid';
import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SignedDocumentRecord } from '../../functions/core/sign-request.ts';
import { signedDocumentKey } from '../../functions/documents/document-keys.ts';
import { signRequestKey } from '../../functions/store/keys.ts';
import { localS3Client } from '../../infra/local/embedded-s3.ts';
import { config, documentClient } from './dependencies.ts';

/**
 * Stands in for the completion's consumer, which seals a completed request's signed document (another piece of
 * work): puts `bytes` at the request's signed-document key in this file's bucket, then records them on the item.
 */
export const recordSignedDocument = async (
  appId: string,
  signRequestId: string,
  bytes: Uint8Array,
): Promise<SignedDocumentRecord> => {
  const key = signedDocumentKey(appId, signRequestId, ulid());
  const s3 = localS3Client(process.env.S3_ENDPOINT ?? '');
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: process.env.DOCUMENTS_BUCKET ?? '',
        Key: key,
        Body: bytes,
        ContentType: 'application/pdf',
      }),
    );
  } finally {
    s3.destroy();
  }
  const record = {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.byteLength,
    key,
    madeAt: new Date().toISOString(),
  };
  await documentClient.send(
    new UpdateCommand({
      TableName: config.tableName,
      Key: signRequestKey(signRequestId),
      UpdateExpression: 'SET signedDocument = :record',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':record': record },
    }),
  );
  return record;
};
