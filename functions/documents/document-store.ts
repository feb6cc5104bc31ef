import {
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { LIFECYCLE_TAG } from './document-keys.ts';

/** What reading an upload found: nothing, more bytes than the reader takes (left unread), or the bytes. */
export type BoundedRead =
  | { readonly state: 'missing' }
  | { readonly state: 'too-large'; readonly size: number }
  | { readonly state: 'read'; readonly bytes: Uint8Array };

/** What S3 answers a presigned GET with, in place of the object's own metadata. */
export interface DownloadHeaders {
  readonly contentType: string;
  readonly contentDisposition: string;
}

/** Where an upload URL lets its holder PUT a PDF of exactly `size` bytes, until `expiresAt`. */
export interface UploadTarget {
  readonly key: string;
  readonly size: number;
  readonly signedAt: Date;
  readonly expiresInSeconds: number;
}

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

  /**
   * A presigned PUT of the one key: its Content-Type (application/pdf) and Content-Length (`size`) are signed, so
   * S3 refuses a PUT of any other length or type, and the URL acts with this function's own rights (its role
   * must be allowed s3:PutObject there). Pure computation: no call is made, nothing is written. s3rver checks no
   * signature at all, so locally the URL takes any bytes (the service hashes and checks them itself at initiate).
   */
  async presignUpload(target: UploadTarget): Promise<string> {
    return getSignedUrl(
      this.client,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: target.key,
        ContentType: 'application/pdf',
        ContentLength: target.size,
      }),
      {
        expiresIn: target.expiresInSeconds,
        signingDate: target.signedAt,
        // The presigner leaves Content-Type unsigned unless asked (Content-Length it signs already).
        signableHeaders: new Set(['content-type']),
      },
    );
  }

  /**
   * An object's bytes if it holds at most `maxBytes`: its length is known from the answer's headers, so a larger
   * one is never read into memory (its body is dropped unread). An upload URL bounds the length on real S3, but
   * not on s3rver, and the service takes no store's word for what a client sent.
   */
  async readAtMost(key: string, maxBytes: number): Promise<BoundedRead> {
    let answer;
    try {
      answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (error instanceof NoSuchKey) return { state: 'missing' };
      throw error;
    }
    const size = answer.ContentLength;
    if (size !== undefined && size > maxBytes) {
      // Cancelling the stream ends the download; nothing of it is buffered.
      await answer.Body?.transformToWebStream().cancel();
      return { state: 'too-large', size };
    }
    const bytes = answer.Body ? await answer.Body.transformToByteArray() : new Uint8Array();
    // Without a length in the answer, the bytes themselves are counted.
    return bytes.byteLength > maxBytes ? { state: 'too-large', size: bytes.byteLength } : { state: 'read', bytes };
  }

  /**
   * A presigned GET of one object, for a file too large to answer through Lambda: S3 answers it with the headers
   * given (type, disposition, no caching), as the route would have. Computation only, with this function's own
   * right to read the object.
   */
  async presignDownload(key: string, headers: DownloadHeaders, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentType: headers.contentType,
        ResponseContentDisposition: headers.contentDisposition,
        ResponseCacheControl: 'no-store',
      }),
      { expiresIn: expiresInSeconds },
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
