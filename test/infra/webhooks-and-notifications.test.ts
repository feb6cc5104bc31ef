import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { partitionKeyPatterns } from '../../functions/store/keys.ts';
import { asList, identityStatements } from './iam-statements.ts';
import { EMAIL_IDENTITY_ARN, SIGNING_BASE_URL, synthEventsStack } from './events-stack.ts';
import { resourceOf, resourcesOfType } from './synth.ts';

let built: ReturnType<typeof synthEventsStack>;
beforeAll(() => {
  built = synthEventsStack();
});

const consumers = () => ({
  webhooks: built.webhooks.consumer,
  mailer: built.mailer.consumer,
  signedDocuments: built.signedDocuments.consumer,
});
type ConsumerName = keyof ReturnType<typeof consumers>;

/** The statements of the policies attached to one function's role. */
const statementsOf = (roleLogicalId: string) =>
  identityStatements(
    resourcesOfType(built.template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Roles).includes(roleLogicalId),
    ),
  ).map(([, statement]) => statement);

const roleOf = (name: ConsumerName) => {
  const fn = resourceOf(built.template, built.logicalId(consumers()[name].function));
  return (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
};

describe.each([
  {
    name: 'webhooks' as const,
    maxReceiveCount: 12,
    batchSize: 10,
    store: [{ action: 'dynamodb:GetItem', kind: partitionKeyPatterns.webhook }],
  },
  {
    name: 'mailer' as const,
    maxReceiveCount: 3,
    batchSize: 1,
    store: [
      { action: 'dynamodb:GetItem', kind: partitionKeyPatterns.signRequest },
      { action: ['dynamodb:GetItem', 'dynamodb:PutItem'], kind: partitionKeyPatterns.notice },
      { action: 'dynamodb:UpdateItem', kind: partitionKeyPatterns.mailCap },
    ],
  },
  {
    name: 'signedDocuments' as const,
    maxReceiveCount: 8,
    batchSize: 1,
    store: [{ action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], kind: partitionKeyPatterns.signRequest }],
    // The app's name for the certificate, and nothing else of its record (never the token hash).
    appName: true,
  },
])('$name: EventBridge rule -> SQS queue -> function', ({ name, maxReceiveCount, batchSize, store, ...more }) => {
  const ids = () => {
    const consumer = consumers()[name];
    return {
      queue: built.logicalId(consumer.queue),
      dlq: built.logicalId(consumer.deadLetterQueue),
      fn: built.logicalId(consumer.function),
      rule: built.logicalId(consumer.rule),
    };
  };

  it(`queues with SQS-managed encryption, 14 days' retention and a DLQ after ${maxReceiveCount} receives`, () => {
    const { queue, dlq } = ids();
    expect(resourceOf(built.template, queue).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount },
    });
    expect(resourceOf(built.template, dlq).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('refuses plain-HTTP access to both queues', () => {
    const { queue, dlq } = ids();
    for (const target of [queue, dlq]) {
      built.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: target }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('gives the queue a visibility timeout of at least six times the function timeout', () => {
    const { queue, fn } = ids();
    const timeout = resourceOf(built.template, fn).Properties.Timeout as number;
    // The maker may seal a dense 25 MiB original: a minute, not the default 15 s.
    expect(timeout).toBe(name === 'signedDocuments' ? 60 : 15);
    expect(resourceOf(built.template, queue).Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });

  it(`feeds the function batches of ${batchSize} that report partial failures`, () => {
    const { queue, fn } = ids();
    built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionName: { Ref: fn },
      BatchSize: batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('routes the bus to the queue, with the DLQ for events EventBridge cannot put on it', () => {
    const { queue, dlq, rule } = ids();
    expect(resourceOf(built.template, rule).Properties).toMatchObject({
      EventBusName: { Ref: built.logicalId(built.bus) },
      Targets: [{ Arn: { 'Fn::GetAtt': [queue, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlq, 'Arn'] } } }],
    });
  });

  it('alarms to the topic as soon as one message is parked in the DLQ', () => {
    const { dlq } = ids();
    built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: built.logicalId(built.alarmTopic) }],
    });
  });

  it(`lets the function reach one item at a time, only ${store.map((grant) => grant.kind).join(' and ')} items${'appName' in more ? ", and an app record's name" : ''}`, () => {
    const statements = statementsOf(roleOf(name));
    const dynamo = statements.filter((statement) => asList(statement.Action).some((a) => a.startsWith('dynamodb:')));
    const table = { 'Fn::GetAtt': [built.logicalId(built.table), 'Arn'] };
    expect(dynamo).toEqual([
      ...store.map(({ action, kind }) => ({
        Effect: 'Allow',
        Action: action,
        Resource: table,
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [kind] } },
      })),
      ...('appName' in more
        ? [
            {
              Effect: 'Allow',
              Action: 'dynamodb:GetItem',
              Resource: table,
              Condition: {
                'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [partitionKeyPatterns.appRecord] },
                'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['appName'] },
                StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
              },
            },
          ]
        : []),
    ]);
    for (const statement of statements) {
      expect(asList(statement.Action).every((action) => !action.includes('*'))).toBe(true);
      // Object keys are drawn per request: an S3 grant names a key pattern (asserted below), nothing else may.
      if (!asList(statement.Action).some((action) => action.startsWith('s3:')))
        expect(JSON.stringify(statement.Resource)).not.toContain('*');
    }
  });
});

describe('rule patterns', () => {
  it('sends every esign-recall event to the webhook queue', () => {
    const rule = resourceOf(built.template, built.logicalId(built.webhooks.consumer.rule));
    expect(rule.Properties.EventPattern).toEqual({ source: ['esign-recall'] });
  });

  it('sends only the events that make mail to the notification queue', () => {
    const rule = resourceOf(built.template, built.logicalId(built.mailer.consumer.rule));
    expect(rule.Properties.EventPattern).toEqual({
      source: ['esign-recall'],
      'detail-type': [
        'SignRequestCreated',
        'SignerChanged',
        'SignersReminded',
        'SignRequestRecalled',
        'SignRequestDeclined',
        'SignedDocumentReady',
        'SignersInvited',
      ],
    });
  });

  it('sends only SignRequestCreated (to keep the original) and SignRequestCompleted to the signed document maker', () => {
    const rule = resourceOf(built.template, built.logicalId(built.signedDocuments.consumer.rule));
    expect(rule.Properties.EventPattern).toEqual({
      source: ['esign-recall'],
      'detail-type': ['SignRequestCreated', 'SignRequestCompleted'],
    });
  });
});

describe('SES', () => {
  it('sends with a configuration set that suppresses bounced and complaining addresses, requires TLS, keeps reputation metrics', () => {
    built.template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      ReputationOptions: { ReputationMetricsEnabled: true },
      DeliveryOptions: { TlsPolicy: 'REQUIRE' },
    });
    const fn = resourceOf(built.template, built.logicalId(built.mailer.consumer.function));
    expect(fn.Properties.Environment).toMatchObject({
      Variables: { MAIL_CONFIGURATION_SET: { Ref: built.logicalId(built.mailer.configurationSet) } },
    });
  });
});

describe('grants beyond the table', () => {
  const actionsOn = (name: ConsumerName, prefix: string) =>
    statementsOf(roleOf(name)).filter((statement) => asList(statement.Action).some((a) => a.startsWith(prefix)));

  it('lets the deliverer read the webhook signing key, and only it (never the link key), and tells it where', () => {
    const secret = built.logicalId(built.keys.webhook.secret);
    expect(actionsOn('webhooks', 'secretsmanager:')).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secret } },
    ]);
    const fn = resourceOf(built.template, built.logicalId(built.webhooks.consumer.function));
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.WEBHOOK_SIGNING_KEY_SECRET_ARN).toEqual({ Ref: secret });
    expect(variables.LINK_SIGNING_KEY_SECRET_ARN).toBeUndefined();
    expect(JSON.stringify(fn.Properties)).not.toContain(built.logicalId(built.keys.link.secret));
    expect(actionsOn('webhooks', 'ses:')).toEqual([]);
  });

  it('lets the mailer send email from the one SES identity, and read the link key (never the webhook key)', () => {
    const [send] = actionsOn('mailer', 'ses:');
    expect(actionsOn('mailer', 'ses:')).toHaveLength(1);
    expect(send?.Action).toBe('ses:SendEmail');
    const resources = asList(send?.Resource as string | string[]);
    expect(resources[0]).toBe(EMAIL_IDENTITY_ARN);
    expect(JSON.stringify(resources[1])).toContain(':configuration-set/');
    expect(resources).toHaveLength(2);
    const linkSecret = built.logicalId(built.keys.link.secret);
    expect(actionsOn('mailer', 'secretsmanager:')).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: linkSecret } },
    ]);
    const fn = resourceOf(built.template, built.logicalId(built.mailer.consumer.function));
    expect(fn.Properties.Environment).toMatchObject({
      Variables: {
        NOTIFY_FROM_ADDRESS: 'no-reply@example.com',
        SIGNING_BASE_URL: SIGNING_BASE_URL,
        LINK_SIGNING_KEY_SECRET_ARN: { Ref: linkSecret },
      },
    });
    expect(JSON.stringify(fn.Properties)).not.toContain(built.logicalId(built.keys.webhook.secret));
  });

  it("lets the deliverer hold a failed message back on its own queue (ChangeMessageVisibility), and tells it the queue's URL", () => {
    const queue = built.logicalId(built.webhooks.consumer.queue);
    const [consume] = actionsOn('webhooks', 'sqs:');
    expect(asList(consume?.Action)).toContain('sqs:ChangeMessageVisibility');
    expect(consume?.Resource).toEqual({ 'Fn::GetAtt': [queue, 'Arn'] });
    const fn = resourceOf(built.template, built.logicalId(built.webhooks.consumer.function));
    expect(fn.Properties.Environment).toMatchObject({ Variables: { WEBHOOK_QUEUE_URL: { Ref: queue } } });
  });

  it("holds the mailer to the account's SES rate: 2 invocations at most, each told its share of 14 a second", () => {
    built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [built.logicalId(built.mailer.consumer.queue), 'Arn'] },
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    const fn = resourceOf(built.template, built.logicalId(built.mailer.consumer.function));
    expect(fn.Properties.Environment).toMatchObject({
      Variables: { SES_MESSAGES_PER_SECOND: '14', MAILER_MAX_CONCURRENCY: '2' },
    });
  });

  const objects = (pattern: string) => ({
    'Fn::Join': ['', [{ 'Fn::GetAtt': [built.logicalId(built.documents), 'Arn'] }, `/${pattern}`]],
  });

  it('lets the maker read originals and tag them only, put and tag only signed documents, and read the sealing key; and tells it where', () => {
    expect(actionsOn('signedDocuments', 's3:')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('documents/*') },
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectTagging'],
        Resource: objects('documents/*/*/signed-*.pdf'),
      },
      { Effect: 'Allow', Action: 's3:PutObjectTagging', Resource: objects('documents/*/*/original.pdf') },
    ]);
    const sealing = built.logicalId(built.sealingKey.secret);
    expect(actionsOn('signedDocuments', 'secretsmanager:')).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: sealing } },
    ]);
    const fn = resourceOf(built.template, built.logicalId(built.signedDocuments.consumer.function));
    expect(fn.Properties.Environment).toMatchObject({
      Variables: {
        SEALING_KEY_SECRET_ARN: { Ref: sealing },
        DOCUMENTS_BUCKET: { Ref: built.logicalId(built.documents) },
      },
    });
    // Neither the link nor the webhook key: it makes no link and signs no webhook.
    expect(actionsOn('signedDocuments', 'ses:')).toEqual([]);
    expect(JSON.stringify(fn.Properties)).not.toContain(built.logicalId(built.keys.link.secret));
  });

  it('lets the mailer read signed documents only (to attach one), never originals, and never write', () => {
    expect(actionsOn('mailer', 's3:')).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: objects('documents/*/*/signed-*.pdf') },
    ]);
    expect(actionsOn('webhooks', 's3:')).toEqual([]);
  });

  it('consumes only its own queue', () => {
    for (const name of ['webhooks', 'mailer', 'signedDocuments'] as const) {
      const sqs = actionsOn(name, 'sqs:');
      expect(sqs.map((statement) => statement.Resource)).toEqual([
        { 'Fn::GetAtt': [built.logicalId(consumers()[name].queue), 'Arn'] },
      ]);
    }
  });

  it('never sets ALLOW_HTTP_WEBHOOKS in AWS', () => {
    for (const [, fn] of resourcesOfType(built.template, 'AWS::Lambda::Function'))
      expect(JSON.stringify(fn.Properties.Environment ?? {})).not.toContain('ALLOW_HTTP_WEBHOOKS');
  });
});

describe('cdk-nag (AwsSolutions) on these constructs', () => {
  it('finds nothing unfixed, and nothing acknowledged beyond what the existing constructs already acknowledge', () => {
    const assembly = built.app.synth();
    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        pluginName: string;
        conclusion: string;
        violations: unknown[];
        suppressedViolations?: { ruleName: string }[];
      }[];
    };
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
    // L1 (runtime) from ProjectFunction, SMG4 (rotation) from each SigningKey and the sealing key, S1 (access
    // logs) from the documents bucket, and IAM5 for exactly the documents' three key patterns (object keys are drawn
    // per request): no other wildcard.
    const bucket = built.logicalId(built.documents);
    expect(new Set(nag?.suppressedViolations?.map((violation) => violation.ruleName))).toEqual(
      new Set([
        'AwsSolutions-L1',
        'AwsSolutions-SMG4',
        'AwsSolutions-S1',
        `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/documents/*]`,
        `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/documents/*/*/signed-*.pdf]`,
        `AwsSolutions-IAM5[Resource::<${bucket}.Arn>/documents/*/*/original.pdf]`,
      ]),
    );
  });
});
