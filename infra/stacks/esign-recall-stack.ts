import { CfnOutput, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import { AlarmTopic } from '../constructs/alarm-topic.ts';
import { EventPublishing } from '../constructs/event-publishing.ts';
import { ScheduledJobs } from '../constructs/scheduled-jobs.ts';
import { RouteFunctions } from '../constructs/route-functions.ts';
import { RouteTableApi } from '../constructs/route-table-api.ts';
import { ServiceAlarms } from '../constructs/service-alarms.ts';
import { AppLimitWatch } from '../constructs/app-limit-watch.ts';
import { PublicEdge } from '../constructs/public-edge.ts';
import { routes } from '../../functions/routes.ts';
import type { EsignRecallEdgeStack } from './esign-recall-edge-stack.ts';
import { ServiceTable } from '../constructs/service-table.ts';
import { DocumentBucket } from '../constructs/document-bucket.ts';
import { Mailer } from '../constructs/mailer.ts';
import { SealingKeySecret } from '../constructs/sealing-key-secret.ts';
import { SignedDocumentMaker } from '../constructs/signed-document-maker.ts';
import { ServiceKeys } from '../constructs/service-keys.ts';
import { WebhookDelivery } from '../constructs/webhook-delivery.ts';
import type { StageConfig } from '../stage-config.ts';
import { keptLogicalId, type MovedPaths } from './moved-constructs.ts';

/** The functions whose answers hand out signing links: initiate, resend, and a changed signer's new link. */
const LINK_GIVING_HANDLERS = ['initiate', 'resend', 'edit-signer'] as const;

/** The signing page's functions, which issue (signing-proof) or accept its passes: they hold the pass key only. */
const SIGNER_PASS_HANDLERS = ['signing-view', 'signing-document', 'sign', 'decline', 'signing-proof'] as const;

/**
 * What holds state under the mailer, where it stood before the mailer was named by what it does
 * (SignerNotifications, its consumer Notifier). It keeps those logical ids, so upgrading a stage updates it in
 * place: a replaced queue would lose the mail waiting in it, a replaced SES identity would clash with the old
 * one's domain and need new DKIM records, a replaced feedback topic its subscriptions. The function, its role,
 * log group, rule and alarms do take new ids, and are replaced.
 */
const MOVED: MovedPaths = new Map([
  ['Mailer/ConfigurationSet', 'SignerNotifications/ConfigurationSet'],
  ['Mailer/Identity', 'SignerNotifications/Identity'],
  ['Mailer/Feedback', 'SignerNotifications/Feedback'],
  ['Mailer/Consumer/Queue', 'SignerNotifications/Notifier/Queue'],
  ['Mailer/Consumer/DeadLetterQueue', 'SignerNotifications/Notifier/DeadLetterQueue'],
]);

export interface EsignRecallStackProps extends StackProps {
  config: StageConfig;
  /** The us-east-1 stack holding the web ACL the distribution applies. */
  edgeStack: EsignRecallEdgeStack;
}

/**
 * The whole service in one stack: CloudFront (with the edge stack's web ACL) -> API Gateway -> one function per
 * handler -> the one table, with alarms to a topic. Its region is explicit (a cross-region reference needs it),
 * its account is not, and nothing is looked up, so it synthesizes offline without credentials.
 */
export class EsignRecallStack extends Stack {
  readonly table: ServiceTable;
  readonly documents: DocumentBucket;
  readonly functions: RouteFunctions;
  readonly api: RouteTableApi;
  readonly alarms: ServiceAlarms;
  /** The public address: CloudFront and WAF in front of the API. */
  readonly edge: PublicEdge;
  readonly edgeStack: EsignRecallEdgeStack;
  readonly appLimits: AppLimitWatch;
  readonly alarmTopic: AlarmTopic;
  readonly keys: ServiceKeys;
  /** The evidence seal's key and certificate, the operator's: the certificate, verify and the maker read it. */
  readonly sealingKey: SealingKeySecret;
  readonly events: EventPublishing;
  readonly scheduledJobs: ScheduledJobs;
  readonly webhooks: WebhookDelivery;
  /** Seals each completed request's signed document once, and records it (announced as SignedDocumentReady). */
  readonly signedDocuments: SignedDocumentMaker;
  /** Present when the stage sends mail (-c notifyFromAddress with -c notifyFromDomain or -c sesIdentityArn). */
  readonly mailer: Mailer | undefined;

  constructor(scope: Construct, id: string, props: EsignRecallStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: props.config.region }, crossRegionReferences: true });
    const { config } = props;
    const lifecycle = { logRetention: config.logRetention, removalPolicy: config.removalPolicy };
    this.edgeStack = props.edgeStack;

    this.table = new ServiceTable(this, 'Table', { retainData: config.retainData });
    this.documents = new DocumentBucket(this, 'Documents', { retainData: config.retainData });
    this.functions = new RouteFunctions(this, 'Functions', {
      documents: this.documents,
      table: this.table,
      appRate: config.appRate,
      ...lifecycle,
    });
    // Only the functions that hand out links (and the mailer, below) derive signing link secrets; signing routes
    // check a stored hash.
    this.keys = new ServiceKeys(this, 'Keys', { removalPolicy: config.removalPolicy });
    for (const handler of LINK_GIVING_HANDLERS) this.keys.link.grantTo(this.functions.for(handler));
    // The list signs its cursors with a key of its own, so it holds neither key a secret derives from.
    this.keys.cursor.grantTo(this.functions.for('list'));
    // The signing page's passes (a cookie after a right signer proof) are signed with a key of their own, read
    // lazily by the functions that issue or accept one: these unauthenticated functions never hold the link key,
    // from which every signing link's secret derives.
    for (const signing of SIGNER_PASS_HANDLERS) this.keys.pass.grantTo(this.functions.for(signing));
    this.sealingKey = new SealingKeySecret(this, 'SealingKey', {
      removalPolicy: config.removalPolicy,
      ...(config.sealingKeySecretArn ? { existingSecretArn: config.sealingKeySecretArn } : {}),
    });
    for (const handler of ['certificate', 'verify'] as const) this.sealingKey.grantTo(this.functions.for(handler));
    this.api = new RouteTableApi(this, 'Api', {
      functions: this.functions,
      throttle: config.throttle,
      signingThrottle: config.signingThrottle,
      ...lifecycle,
    });
    this.edge = new PublicEdge(this, 'Edge', {
      api: this.api.api,
      webAclArn: props.edgeStack.web.webAcl.attrArn,
      apiFunctions: [...this.functions.byHandler.values(), this.api.unrouted],
      removalPolicy: config.removalPolicy,
    });
    // Links handed to apps must go through CloudFront too: the execute-api host a request arrives on refuses them.
    for (const handler of LINK_GIVING_HANDLERS)
      this.functions.for(handler).addEnvironment('SIGNING_BASE_URL', this.edge.url);
    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      removalPolicy: config.removalPolicy,
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
    });
    this.events = new EventPublishing(this, 'Events', {
      table: this.table,
      alarmTopic: this.alarmTopic.topic,
      ...lifecycle,
    });
    this.scheduledJobs = new ScheduledJobs(this, 'ScheduledJobs', {
      table: this.table,
      every: Duration.minutes(5),
      ...lifecycle,
    });
    const consumers = { bus: this.events.bus, table: this.table, alarmTopic: this.alarmTopic.topic, ...lifecycle };
    this.webhooks = new WebhookDelivery(this, 'Webhooks', { ...consumers, webhookSigningKey: this.keys.webhook });
    this.signedDocuments = new SignedDocumentMaker(this, 'SignedDocuments', {
      ...consumers,
      documents: this.documents,
      sealingKey: this.sealingKey,
    });
    this.mailer = config.signerEmail
      ? new Mailer(this, 'Mailer', {
          ...consumers,
          fromAddress: config.signerEmail.fromAddress,
          linkSigningKey: this.keys.link,
          signingBaseUrl: this.edge.url,
          identity: config.signerEmail.identity,
          documents: this.documents,
          ...(config.signerEmail.messagesPerSecond === undefined
            ? {}
            : { sesMessagesPerSecond: config.signerEmail.messagesPerSecond }),
        })
      : undefined;
    // The routes that mail directly (the one-time code) send as the mailer does; a stage without mail gives them
    // no sender, and they answer 503 SIGNING_CODE_NOT_SENT (docs/deploy-and-operate.md).
    const mailingHandlers = new Set(routes.filter((route) => 'sendsMail' in route).map((route) => route.handler));
    for (const handler of mailingHandlers) this.mailer?.grantSendTo(this.functions.for(handler));
    this.alarms = new ServiceAlarms(this, 'ServiceAlarms', {
      stage: this.api.stage,
      functions: this.functions,
      table: this.table,
      storeActions: [...new Set([...this.functions.storeActions, 'Query' as const])],
      otherFunctions: new Map([
        ['publisher', this.events.function],
        ['scheduled-jobs', this.scheduledJobs.function],
        ['webhook-deliverer', this.webhooks.consumer.function],
        ['signed-document-maker', this.signedDocuments.consumer.function],
        ...(this.mailer ? [['mailer', this.mailer.consumer.function] as const] : []),
      ]),
      topic: this.alarmTopic.topic,
    });

    const appRouteHandlers = new Set(routes.filter((route) => route.caller === 'app').map((route) => route.handler));
    this.appLimits = new AppLimitWatch(this, 'AppLimits', {
      stage: config.stage,
      logGroups: [...appRouteHandlers].map((handler) => this.functions.for(handler).logGroup),
      threshold: config.appLimitAlarmThreshold,
      topic: this.alarmTopic.topic,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.edge.url,
      description: 'Base URL of the API (CloudFront, behind AWS WAF), ends with /',
    });
    new CfnOutput(this, 'DocumentsBucketName', {
      description: 'The S3 bucket of the requests’ documents (private, versioned)',
      value: this.documents.bucketName,
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'TABLE_NAME for `npm run app -- create` against this stage',
    });
    new CfnOutput(this, 'EventBusName', {
      value: this.events.bus.eventBusName,
      description: 'The bus domain events are published on (source esign-recall)',
    });
    new CfnOutput(this, 'WebhookSigningKeySecretArn', {
      value: this.keys.webhook.secret.secretArn,
      description: `${this.keys.webhook.environmentVariable} for \`npm run app -- webhook\` against this stage`,
    });
    new CfnOutput(this, 'SealingKeySecretArn', {
      value: this.sealingKey.secret.secretArn,
      description: this.sealingKey.imported
        ? 'The evidence sealing key (your own secret, -c sealingKeySecretArn): {"privateKeyPem","certificatePem"}'
        : 'Put the evidence sealing key here: {"privateKeyPem","certificatePem"} (docs/deploy-and-operate.md)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topic.topicArn,
      description: 'Subscribe to receive alarms',
    });
    // What the operator commands for dead letters and undelivered events take (docs/deploy-and-operate.md).
    new CfnOutput(this, 'WebhookDeadLetterQueueArn', {
      value: this.webhooks.consumer.deadLetterQueue.queueArn,
      description: '--dead-letter-arn for `npm run app -- redrive --queue webhooks`',
    });
    new CfnOutput(this, 'SignedDocumentDeadLetterQueueArn', {
      value: this.signedDocuments.consumer.deadLetterQueue.queueArn,
      description: '--dead-letter-arn for `npm run app -- redrive --queue signed-documents`',
    });
    if (this.mailer) {
      new CfnOutput(this, 'NotificationDeadLetterQueueArn', {
        value: this.mailer.consumer.deadLetterQueue.queueArn,
        description: '--dead-letter-arn for `npm run app -- redrive --queue notifications`',
      });
      new CfnOutput(this, 'MailFeedbackTopicArn', {
        value: this.mailer.feedback.topic.topicArn,
        description: 'Subscribe to read each bounce, complaint, reject and rendering failure of our mail',
      });
      const { domain, dkimRecordsToAdd } = this.mailer.identity;
      dkimRecordsToAdd.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          value: `${record.name} CNAME ${record.value}`,
          description: `DKIM record ${index + 1} of 3 to add to the DNS of ${domain ?? 'the domain'}: SES sends once all three resolve`,
        });
      });
    }
    new CfnOutput(this, 'UndeliveredEventsQueueUrl', {
      value: this.events.undeliveredEvents.queueUrl,
      description: '--queue-url for `npm run app -- replay-events` (with --event-bus <EventBusName>)',
    });
  }

  protected override allocateLogicalId(element: CfnElement): string {
    return keptLogicalId(element, MOVED) ?? super.allocateLogicalId(element);
  }
}
