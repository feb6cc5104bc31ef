import { Stack, Validations, type CfnElement, type RemovalPolicy } from 'aws-cdk-lib';
import { ConfigurationSet, ConfigurationSetTlsPolicy, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  DEFAULT_SES_MESSAGES_PER_SECOND,
  MAIL_MAX_RECEIVE_COUNT,
  MAILER_MAX_CONCURRENCY,
} from '../../functions/notifications/mailer-limits.ts';
import { SIGNED_DOCUMENT_OBJECTS } from '../../functions/documents/document-keys.ts';
import { MAILED_EVENT_TYPES } from '../../functions/workflows/send-mail.ts';
import { EventQueueConsumer } from './event-queue-consumer.ts';
import { MailFeedback } from './mail-feedback.ts';
import { MailIdentity, type SenderIdentity } from './mail-identity.ts';
import type { SigningKey } from './signing-key.ts';

export interface MailerProps {
  bus: IEventBus;
  table: ITable;
  alarmTopic: ITopic;
  /** The address notifications come from: an address of the SES identity below. */
  fromAddress: string;
  /**
   * The SES identity that sends: a domain this stack creates and verifies, or the ARN of one verified elsewhere,
   * e.g. arn:aws:ses:eu-west-1:123456789012:identity/example.com.
   */
  identity: SenderIdentity;
  /** The link signing key: invitations and reminders carry each signer's link, derived from it, never stored. */
  linkSigningKey: SigningKey;
  /** Where signing links start (the API's URL): links in mail are built on it, never on a request's Host. */
  signingBaseUrl: string;
  /** The documents bucket: the completion notice attaches the signed document (read only, signed documents only). */
  documents: IBucket;
  /** The account's SES sending rate, messages per second; SES's default (14) when unset. */
  sesMessagesPerSecond?: number;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * The mailer (functions/handlers/mailer.ts), the service's one sender of mail: the events that make mail
 * (creation, reminders, recall, decline, completion) -> invitations, reminders and notices to signers and
 * senders, and the SES setup it sends with. The mailer reads the request (GetItem,
 * sign request items only), may send mail from one SES identity only, and reads the link signing key, to put
 * each signer's own link in their invitation and reminders: the one function besides initiate that holds it.
 */
export class Mailer extends Construct {
  readonly consumer: EventQueueConsumer;
  /**
   * Every mail is sent with it: bounces and complaints put the address on the suppression list (SES then accepts
   * a send to it and drops it, so a suppressed address is never retried), reputation metrics are kept, and
   * delivery requires TLS.
   */
  readonly configurationSet: ConfigurationSet;
  readonly identity: MailIdentity;
  /** The address every mail of the service comes from. */
  private readonly fromAddress: string;
  /** Each bounce and complaint on a topic, and the account's reputation alarmed. */
  readonly feedback: MailFeedback;

  constructor(scope: Construct, id: string, props: MailerProps) {
    super(scope, id);
    this.fromAddress = props.fromAddress;
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.identity = new MailIdentity(this, 'Identity', {
      identity: props.identity,
      configurationSet: this.configurationSet,
      removalPolicy: props.removalPolicy,
    });
    this.feedback = new MailFeedback(this, 'Feedback', {
      configurationSet: this.configurationSet,
      alarmTopic: props.alarmTopic,
      removalPolicy: props.removalPolicy,
    });
    this.consumer = new EventQueueConsumer(this, 'Consumer', {
      bus: props.bus,
      table: props.table,
      alarmTopic: props.alarmTopic,
      handlerFile: 'mailer',
      description: 'esign-recall mailer (invitations, reminders and notices to signers and senders)',
      detailTypes: [...MAILED_EVENT_TYPES],
      // The request, and the record of whom this event was already told (read before, written after each send).
      // Notices count against the app's daily mail cap (store/mail-cap.ts).
      storeAccess: { signRequest: ['GetItem'], notice: ['GetItem', 'PutItem'], mailCap: ['UpdateItem'] },
      maxReceiveCount: MAIL_MAX_RECEIVE_COUNT,
      // One event an invocation: its at most 51 recipients (50 signers and the sender) fit one invocation at the
      // container's share of the send rate; and at most MAILER_MAX_CONCURRENCY containers, each sending at
      // rate / that, so the account's rate is kept whatever the load.
      batchSize: 1,
      maxConcurrency: MAILER_MAX_CONCURRENCY,
      environment: {
        NOTIFY_FROM_ADDRESS: props.fromAddress,
        SES_MESSAGES_PER_SECOND: String(props.sesMessagesPerSecond ?? DEFAULT_SES_MESSAGES_PER_SECOND),
        MAILER_MAX_CONCURRENCY: String(MAILER_MAX_CONCURRENCY),
        SIGNING_BASE_URL: props.signingBaseUrl,
        MAIL_CONFIGURATION_SET: this.configurationSet.configurationSetName,
        DOCUMENTS_BUCKET: props.documents.bucketName,
      },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.consumer.function.addToRolePolicy(this.sendStatement());
    props.linkSigningKey.grantTo(this.consumer.function);
    this.consumer.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.documents.arnForObjects(SIGNED_DOCUMENT_OBJECTS)],
      }),
    );
    const bucketId = Stack.of(this).getLogicalId(props.documents.node.defaultChild as CfnElement);
    if (this.consumer.function.role)
      Validations.of(this.consumer.function.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${SIGNED_DOCUMENT_OBJECTS}]`,
        reason:
          'Signed documents are kept at documents/<appId>/<signRequestId>/signed-<ulid>.pdf, drawn per make: the ' +
          'grant names their pattern, read only, so the mailer can attach one to the completion notice.',
      });
  }

  /** ses:SendEmail, on the identity and on the configuration set it names (SES v2 authorizes a send on both). */
  private sendStatement(): PolicyStatement {
    return new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        this.identity.identityArn,
        Stack.of(this).formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: this.configurationSet.configurationSetName,
        }),
      ],
    });
  }

  /**
   * Lets a function send as the mailer sends (same sender, configuration set and identity): the one-time code
   * route mails its codes itself, since a code must never travel in an event.
   */
  grantSendTo(fn: LambdaFunction): void {
    fn.addEnvironment('NOTIFY_FROM_ADDRESS', this.fromAddress);
    fn.addEnvironment('MAIL_CONFIGURATION_SET', this.configurationSet.configurationSetName);
    fn.addToRolePolicy(this.sendStatement());
  }
}
