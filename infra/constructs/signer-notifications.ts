import type { RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { NOTIFICATION_MAX_RECEIVE_COUNT } from '../../functions/notifications/signer-notifier.ts';
import { EventQueueConsumer } from './event-queue-consumer.ts';

export interface SignerNotificationsProps {
  bus: IEventBus;
  table: ITable;
  alarmTopic: ITopic;
  /** The address notifications come from: an address of the verified SES identity below. */
  fromAddress: string;
  /** ARN of the verified SES identity (domain or address) that sends, e.g. arn:aws:ses:eu-west-1:123456789012:identity/example.com. */
  emailIdentityArn: string;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * SignRequestRecalled events -> an email to each signer who had not signed (functions/handlers/signer-notifier.ts).
 * The notifier reads the request (GetItem, sign request items only) and may send mail from one SES identity only.
 */
export class SignerNotifications extends Construct {
  readonly consumer: EventQueueConsumer;

  constructor(scope: Construct, id: string, props: SignerNotificationsProps) {
    super(scope, id);
    this.consumer = new EventQueueConsumer(this, 'Notifier', {
      bus: props.bus,
      table: props.table,
      alarmTopic: props.alarmTopic,
      handlerFile: 'signer-notifier',
      description: 'esign-recall signer notifications',
      detailTypes: ['SignRequestRecalled'],
      storeAccess: { signRequest: ['GetItem'] },
      maxReceiveCount: NOTIFICATION_MAX_RECEIVE_COUNT,
      environment: { NOTIFY_FROM_ADDRESS: props.fromAddress },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    this.consumer.function.addToRolePolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [props.emailIdentityArn] }),
    );
  }
}
