import { readFileSync } from 'node:fs';
import { App, RemovalPolicy, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { AlarmTopic } from '../../infra/constructs/alarm-topic.ts';
import { DocumentBucket } from '../../infra/constructs/document-bucket.ts';
import { SealingKeySecret } from '../../infra/constructs/sealing-key-secret.ts';
import { SignedDocumentMaker } from '../../infra/constructs/signed-document-maker.ts';
import { ServiceTable } from '../../infra/constructs/service-table.ts';
import { Mailer } from '../../infra/constructs/mailer.ts';
import { ServiceKeys } from '../../infra/constructs/service-keys.ts';
import { WebhookDelivery } from '../../infra/constructs/webhook-delivery.ts';

export const SIGNING_BASE_URL = 'https://api.example.com';
export const EMAIL_IDENTITY_ARN = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';

/**
 * A minimal stack holding only the webhook and notification constructs and what they take, with cdk-nag wired in
 * as infra/define-app.ts does and asset bundling skipped (an empty `aws:cdk:bundling-stacks`).
 */
export const synthEventsStack = () => {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  const stack = new Stack(app, 'EventsTest');
  const lifecycle = { logRetention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY };
  const table = new ServiceTable(stack, 'Table', { retainData: false });
  const bus = new EventBus(stack, 'Bus');
  const alarmTopic = new AlarmTopic(stack, 'Alarms', { removalPolicy: RemovalPolicy.DESTROY }).topic;
  const keys = new ServiceKeys(stack, 'Keys', { removalPolicy: RemovalPolicy.DESTROY });
  const webhooks = new WebhookDelivery(stack, 'Webhooks', {
    bus,
    table,
    webhookSigningKey: keys.webhook,
    alarmTopic,
    ...lifecycle,
  });
  const documents = new DocumentBucket(stack, 'Documents', { retainData: false });
  const sealingKey = new SealingKeySecret(stack, 'SealingKey', { removalPolicy: RemovalPolicy.DESTROY });
  const signedDocuments = new SignedDocumentMaker(stack, 'SignedDocuments', {
    bus,
    table,
    alarmTopic,
    documents,
    sealingKey,
    ...lifecycle,
  });
  const mailer = new Mailer(stack, 'Mailer', {
    bus,
    table,
    alarmTopic,
    documents,
    fromAddress: 'no-reply@example.com',
    identity: { arn: EMAIL_IDENTITY_ARN },
    linkSigningKey: keys.link,
    signingBaseUrl: SIGNING_BASE_URL,
    ...lifecycle,
  });
  const template = Template.fromStack(stack);
  const logicalId = (construct: IConstruct): string =>
    stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
  return {
    app,
    stack,
    template,
    logicalId,
    table,
    bus,
    alarmTopic,
    keys,
    webhooks,
    mailer,
    documents,
    sealingKey,
    signedDocuments,
  };
};
