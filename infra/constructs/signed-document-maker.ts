import { Duration, Stack, Validations, type CfnElement, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  DOCUMENTS_PREFIX,
  ORIGINAL_DOCUMENT_OBJECTS,
  SIGNED_DOCUMENT_OBJECTS,
} from '../../functions/documents/document-keys.ts';
import {
  DOCUMENT_EVENT_TYPES,
  SIGNED_DOCUMENT_MAX_RECEIVE_COUNT,
} from '../../functions/workflows/make-signed-document.ts';
import { EventQueueConsumer } from './event-queue-consumer.ts';
import type { SealingKeySecret } from './sealing-key-secret.ts';
import { appNameReadStatement } from './store-access.ts';

export interface SignedDocumentMakerProps {
  bus: IEventBus;
  table: ITable;
  alarmTopic: ITopic;
  documents: IBucket;
  sealingKey: SealingKeySecret;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * Sealing an original of up to 25 MiB with pdf-lib: a 24 MiB, 200-page original with 10 signers sealed in 0.4 s
 * at 290 MiB peak RSS here (`bench/fixtures/seal-run.ts`); more memory buys the CPU that keeps a make short.
 */
const MAKER_MEMORY_MB = 1024;
/**
 * Above the default 15 s: a dense original (thousands of pages of text, where object count, not size, takes the
 * time: about 5 s for 5,000 pages in the PDF reader here) must not time out into a redelivery that repeats it.
 */
const MAKER_TIMEOUT = Duration.seconds(60);

/**
 * The signed document maker (functions/handlers/signed-document-maker.ts): SignRequestCompleted -> its queue
 * (with a DLQ, alarmed) -> the request's signed document, sealed, put in the documents bucket and recorded on the
 * request once. It reads the request and its app's name (that attribute alone), writes the one record (UpdateItem, sign request items
 * only), reads originals, puts (tagged) only signed documents' keys, and reads the sealing key.
 */
export class SignedDocumentMaker extends Construct {
  readonly consumer: EventQueueConsumer;

  constructor(scope: Construct, id: string, props: SignedDocumentMakerProps) {
    super(scope, id);
    this.consumer = new EventQueueConsumer(this, 'Consumer', {
      bus: props.bus,
      table: props.table,
      alarmTopic: props.alarmTopic,
      handlerFile: 'signed-document-maker',
      description: 'esign-recall signed document maker (original and certificate, sealed once on completion)',
      detailTypes: DOCUMENT_EVENT_TYPES,
      // The request, and its one record write; the app's name (for the certificate) is read apart, below.
      storeAccess: { signRequest: ['GetItem', 'UpdateItem'] },
      maxReceiveCount: SIGNED_DOCUMENT_MAX_RECEIVE_COUNT,
      // One make an invocation: each holds a whole PDF in memory.
      batchSize: 1,
      memorySize: MAKER_MEMORY_MB,
      timeout: MAKER_TIMEOUT,
      environment: { DOCUMENTS_BUCKET: props.documents.bucketName },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const fn = this.consumer.function;
    fn.addToRolePolicy(appNameReadStatement(props.table));
    // The original, wherever the request keeps it; and the signed document's own keys alone for the put and
    // its tag (a put with tags needs both actions; the tag moves from pending to kept once recorded).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.documents.arnForObjects(`${DOCUMENTS_PREFIX}*`)],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:PutObjectTagging'],
        resources: [props.documents.arnForObjects(SIGNED_DOCUMENT_OBJECTS)],
      }),
    );
    // A new request's original: marked kept (its tag alone), should initiate have stopped before doing so.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObjectTagging'],
        resources: [props.documents.arnForObjects(ORIGINAL_DOCUMENT_OBJECTS)],
      }),
    );
    props.sealingKey.grantTo(fn);
    const bucketId = Stack.of(this).getLogicalId(props.documents.node.defaultChild as CfnElement);
    if (fn.role) {
      const reason =
        'Object keys are drawn per request (documents/<appId>/<signRequestId>/...): the grants name the common ' +
        'prefix for reading an original, only originals’ names for tagging one kept, and only signed documents’ ' +
        'names for writing one; objects only, never the bucket.';
      Validations.of(fn.role).acknowledge(
        { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${DOCUMENTS_PREFIX}*]`, reason },
        { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${SIGNED_DOCUMENT_OBJECTS}]`, reason },
        { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${ORIGINAL_DOCUMENT_OBJECTS}]`, reason },
      );
    }
  }
}
