import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DOCUMENTS_PREFIX, LIFECYCLE_TAG, UPLOADS_PREFIX } from '../../functions/documents/document-keys.ts';

export interface DocumentBucketProps {
  /**
   * prod: RETAIN. dev: DESTROY, which CloudFormation can only do to an empty bucket (every version): no
   * auto-delete custom resource, whose own function would be one more role and runtime to keep (deploy-and-operate.md).
   */
  retainData: boolean;
}

/**
 * Where the requests' documents live (docs/design.md, "Where documents live"): private (public access blocked,
 * bucket-owner-enforced, so no ACL can open an object), TLS only, encrypted at rest with S3-managed keys,
 * versioned (an overwrite or delete keeps the older bytes for 30 days). Its lifecycle removes, a day after
 * their put, the documents still tagged pending: the bytes of a request whose create failed
 * (functions/documents/document-store.ts); and every upload (uploads/), a day after its put. No physical name,
 * as the table.
 */
export class DocumentBucket extends Bucket {
  constructor(scope: Construct, id: string, props: DocumentBucketProps) {
    super(scope, id, {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'abandoned-pending-documents',
          prefix: DOCUMENTS_PREFIX,
          tagFilters: { [LIFECYCLE_TAG.key]: LIFECYCLE_TAG.pending },
          expiration: Duration.days(1),
        },
        {
          // What apps PUT through upload URLs: initiate puts the bytes it checked under documents/, so nothing
          // here is ever a request's document, and no upload may be used after a day (core/upload.ts). Their
          // older versions (an upload PUT twice, and each expired one) go as soon.
          id: 'uploads',
          prefix: UPLOADS_PREFIX,
          expiration: Duration.days(1),
          noncurrentVersionExpiration: Duration.days(1),
        },
        {
          id: 'older-versions',
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'Every read and write of a document is made by a function of this service, and each is logged by it ' +
        '(the access log line names the route, the app and the request id); CloudTrail data events can be ' +
        'turned on for the bucket when an audit needs S3’s own record. A log bucket per stage would hold ' +
        'nothing the function logs do not.',
    });
  }
}
