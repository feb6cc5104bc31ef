import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LIFECYCLE_TAG } from './document-keys.ts';

/** (secondary adapter) The documents bucket, through the AWS SDK's S3 client: real S3, or s3rver locally. */
export class DocumentStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * Puts the bytes tagged pending, in the one PutObject (S3 applies the tags with the object, so no moment
   * exists where it is untagged): if the request is never created, the lifecycle rule removes them.
   */
  async putPending(key: string, bytes: Uint8Array, sha256: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: 'application/pdf',
        ContentLength: bytes.byteLength,
        Tagging: `${LIFECYCLE_TAG.key}=${LIFECYCLE_TAG.pending}`,
        Metadata: { sha256 },
      }),
    );
  }

  /** The request holding the object exists: the lifecycle rule must never remove it now. */
  async keep(key: string): Promise<void> {
    await this.client.send(
      new PutObjectTaggingCommand({
        Bucket: this.bucket,
        Key: key,
        Tagging: { TagSet: [{ Key: LIFECYCLE_TAG.key, Value: LIFECYCLE_TAG.kept }] },
      }),
    );
  }

  /** The object's bytes, or undefined when there is none under the key. */
  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return answer.Body ? await answer.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}
