import type { RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { WEBHOOK_MAX_RECEIVE_COUNT } from '../../functions/webhooks/deliverer.ts';
import { EventQueueConsumer } from './event-queue-consumer.ts';
import type { SigningKey } from './signing-key.ts';

export interface WebhookDeliveryProps {
  bus: IEventBus;
  table: ITable;
  /** Each app's webhook secret is derived from it, so the deliverer reads it (and nothing else in the secret store). */
  webhookSigningKey: SigningKey;
  alarmTopic: ITopic;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * Every esign-recall event -> its app's webhook, signed (functions/handlers/webhook-deliverer.ts). The deliverer
 * reads the app's webhook item (GetItem, webhook items only) and the webhook signing key; it publishes nothing
 * and writes nothing.
 */
export class WebhookDelivery extends Construct {
  readonly consumer: EventQueueConsumer;

  constructor(scope: Construct, id: string, props: WebhookDeliveryProps) {
    super(scope, id);
    this.consumer = new EventQueueConsumer(this, 'Deliverer', {
      bus: props.bus,
      table: props.table,
      alarmTopic: props.alarmTopic,
      handlerFile: 'webhook-deliverer',
      description: 'esign-recall webhook delivery',
      storeAccess: { webhook: ['GetItem'] },
      // 12 tries on an exponential schedule of about 29 hours (functions/webhooks/deliverer.ts), which the
      // deliverer keeps by changing each failed message's visibility on its queue.
      maxReceiveCount: WEBHOOK_MAX_RECEIVE_COUNT,
      queueUrlVariable: 'WEBHOOK_QUEUE_URL',
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    props.webhookSigningKey.grantTo(this.consumer.function);
  }
}
