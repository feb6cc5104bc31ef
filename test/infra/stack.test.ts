import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes, type StoreAccess } from '../../functions/routes.ts';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  APP_REQUESTS_PREFIX,
  EXPIRY_SHARD_PREFIX,
  REMINDER_SHARD_PREFIX,
  PartitionKeyPrefix,
  partitionKeyPatterns,
  type ItemKind,
} from '../../functions/store/keys.ts';
import { Gsi1, Gsi2, Gsi3, TableKeys, TTL_ATTRIBUTE } from '../../functions/store/table.ts';
import { PUBLISH_FAILURE_MESSAGE, PUBLISH_FAILURES_METRIC } from '../../infra/constructs/publisher-alarms.ts';
import { SEALING_KEY_PLACEHOLDER } from '../../infra/constructs/sealing-key-secret.ts';
import { asList, identityStatements, type Statement } from './iam-statements.ts';
import { resourceOf, resourcesOfType, synthStack } from './synth.ts';

// One file for everything the default (dev) synth holds: each test file pays seconds to load aws-cdk-lib.
const { template, stack, logicalId } = synthStack();
const prod = synthStack({ stage: 'prod' });
const statements = identityStatements([
  ...resourcesOfType(template, 'AWS::IAM::Policy'),
  ...resourcesOfType(template, 'AWS::IAM::Role'),
]);

describe('the table', () => {
  it('has the keys, index, stream and TTL the store code uses, on demand with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TableKeys.partitionKey, KeyType: 'HASH' },
        { AttributeName: TableKeys.sortKey, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith(
        [
          TableKeys.partitionKey,
          TableKeys.sortKey,
          Gsi1.partitionKey,
          Gsi1.sortKey,
          Gsi2.partitionKey,
          Gsi2.sortKey,
          Gsi3.partitionKey,
          Gsi3.sortKey,
        ].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S',
        })),
      ),
      GlobalSecondaryIndexes: [
        {
          IndexName: Gsi1.indexName,
          KeySchema: [
            { AttributeName: Gsi1.partitionKey, KeyType: 'HASH' },
            { AttributeName: Gsi1.sortKey, KeyType: 'RANGE' },
          ],
          // Only what a list item shows: no signer, email or history is copied to the index.
          Projection: {
            ProjectionType: 'INCLUDE',
            NonKeyAttributes: [
              'requestNo',
              'status',
              'documentName',
              'createdAt',
              'updatedAt',
              'expiresAt',
              'signerCount',
              'signedCount',
            ],
          },
        },
        {
          IndexName: Gsi2.indexName,
          KeySchema: [
            { AttributeName: Gsi2.partitionKey, KeyType: 'HASH' },
            { AttributeName: Gsi2.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: Gsi3.indexName,
          KeySchema: [
            { AttributeName: Gsi3.partitionKey, KeyType: 'HASH' },
            { AttributeName: Gsi3.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('has no hard-coded physical name', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: Match.absent() });
  });

  it('is torn down with a dev stack', () => {
    const table = resourceOf(template, logicalId(stack.table));
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.DeletionProtectionEnabled).not.toBe(true);
  });

  it('is retained and deletion-protected in prod', () => {
    expect(prod.stack.stackName).toBe('EsignRecall-prod');
    const table = resourceOf(prod.template, prod.logicalId(prod.stack.table));
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });
});

const API_GATEWAY_TIMEOUT_SECONDS = 30;

describe('the functions', () => {
  const handlers = [...new Set(routes.map((route) => route.handler))];

  it('are one per handler of the route table, plus the unrouted answerer, the publisher, the scheduled jobs, the webhook deliverer and the signed document maker', () => {
    template.resourceCountIs('AWS::Lambda::Function', handlers.length + 5);
    expect([...stack.functions.byHandler.keys()].sort()).toEqual([...handlers].sort());
  });

  it.each([
    ['publisher', stack.events.function],
    ['scheduled-jobs', stack.scheduledJobs.function],
    ['webhook-deliverer', stack.webhooks.consumer.function],
    ['signed-document-maker', stack.signedDocuments.consumer.function],
  ] as const)('the %s function is a ProjectFunction too: Node.js 22 on arm64', (_, fn) => {
    expect(resourceOf(template, logicalId(fn)).Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
    });
  });

  it.each(handlers)('%s runs Node.js 22 on arm64 with the service environment', (handler) => {
    const fn = stack.functions.for(handler);
    const properties = resourceOf(template, logicalId(fn)).Properties;
    expect(properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: {
          TABLE_NAME: { Ref: logicalId(stack.table) },
          POWERTOOLS_SERVICE_NAME: 'esign-recall',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
      LoggingConfig: { LogGroup: { Ref: logicalId(fn.logGroup) } },
    });
    expect(properties.Timeout).toBeLessThan(API_GATEWAY_TIMEOUT_SECONDS);
  });

  it('log to groups that expire', () => {
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: Match.anyValue() });
  });

  it('keep their logs longer in prod', () => {
    prod.template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });
});

const WRITE_ACTIONS = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'].map(
  (action) => `dynamodb:${action}`,
);

describe('permissions', () => {
  /** The DynamoDB statements of a function's role, from its default policy. */
  const storeStatementsOf = (fn: IFunction): Statement[] => {
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error(`${fn.node.path} has no role policy`);
    const document = resourceOf(template, logicalId(policy)).Properties.PolicyDocument as { Statement: Statement[] };
    return document.Statement.filter((statement) =>
      asList(statement.Action).some((action) => action.startsWith('dynamodb:')),
    );
  };
  /** A statement's partition key patterns (dynamodb:LeadingKeys), or undefined when it has no such condition. */
  const leadingKeysOf = (statement: Statement): string[] | undefined =>
    statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined;

  /** IAM has no resource-level permission for it, and the stream event source mapping needs it. */
  const isListStreams = (statement: Statement) =>
    asList(statement.Action).length === 1 && asList(statement.Action)[0] === 'dynamodb:ListStreams';
  const isStreamRead = (statement: Statement) =>
    isListStreams(statement) ||
    asList(statement.Action).some((action) => ['dynamodb:GetRecords', 'dynamodb:GetShardIterator'].includes(action));

  it('grant no wildcard action and no wildcard resource, but for dynamodb:ListStreams on the publisher', () => {
    expect(statements.length).toBeGreaterThan(0);
    const publisherPolicy = stack.events.function.role?.node.tryFindChild('DefaultPolicy');
    for (const [id, statement] of statements) {
      if (isListStreams(statement)) {
        expect(id).toBe(publisherPolicy && logicalId(publisherPolicy));
        expect(statement.Resource).toBe('*');
        continue;
      }
      for (const action of asList(statement.Action)) expect(action, `${id} action`).not.toContain('*');
      for (const resource of asList(statement.Resource)) {
        // Resources are references to our own table and log groups; a literal string would be a hand-written ARN.
        expect(typeof resource, `${id} resource ${JSON.stringify(resource)}`).toBe('object');
      }
    }
  });

  it('attach no AWS managed policy (AWSLambdaBasicExecutionRole would allow logs on `*`)', () => {
    for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('hold every table and index action to the partitions of one kind of item (dynamodb:LeadingKeys)', () => {
    for (const [id, statement] of statements) {
      if (!asList(statement.Action).some((action) => action.startsWith('dynamodb:')) || isStreamRead(statement))
        continue;
      const patterns = leadingKeysOf(statement);
      expect(patterns, `${id} ${JSON.stringify(statement.Action)} has no LeadingKeys condition`).toBeDefined();
      expect(patterns, id).toHaveLength(1);
      // Nothing that names no key (ForAllValues over no keys would hold), nor a write of many items at once.
      for (const action of asList(statement.Action))
        expect(['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLSelect']).not.toContain(action);
    }
  });

  it('grant BatchGetItem to the list alone, on sign request items only (each key is held to LeadingKeys)', () => {
    const batchReads = statements.filter(([, statement]) => asList(statement.Action).includes('dynamodb:BatchGetItem'));
    const listPolicy = stack.functions.for('list').role?.node.tryFindChild('DefaultPolicy');
    expect(batchReads.map(([id, statement]) => [id, leadingKeysOf(statement)])).toEqual([
      [listPolicy && logicalId(listPolicy), [partitionKeyPatterns.signRequest]],
    ]);
  });

  it.each(routes.map((route) => [route.handler, route] as const))(
    '%s may take exactly the store actions its route lists, each only on its kind of item',
    (handler, route) => {
      const granted = Object.fromEntries(
        storeStatementsOf(stack.functions.for(handler)).map((statement) => [
          leadingKeysOf(statement)?.[0] ?? 'no LeadingKeys condition',
          asList(statement.Action).sort(),
        ]),
      );
      const listed = Object.fromEntries<string[]>([
        ...(Object.entries(route.storeAccess as StoreAccess) as [ItemKind, readonly string[]][]).map(
          ([kind, actions]): [string, string[]] => [
            partitionKeyPatterns[kind],
            [...actions].map((action) => `dynamodb:${action}`).sort(),
          ],
        ),
        ...('indexQuery' in route ? [[route.indexQuery.partitions, ['dynamodb:Query']] as [string, string[]]] : []),
      ]);
      expect(granted).toEqual(listed);
    },
  );

  it('grant the keyed functions the per-app, per-key idempotency partitions, not one partition shared by all', () => {
    for (const handler of ['initiate', 'recall', 'resend'] as const) {
      const patterns = storeStatementsOf(stack.functions.for(handler)).flatMap(
        (statement) => leadingKeysOf(statement) ?? [],
      );
      expect(patterns, handler).toContain('IDEMPOTENCY#*');
      expect(patterns, handler).not.toContain('IDEMPOTENCY');
    }
  });

  it('keep the read function read-only but for its app’s rate bucket (the per-app rate limit’s leases)', () => {
    const statements = storeStatementsOf(stack.functions.for('read'));
    const isRateBucket = (statement: (typeof statements)[number]) =>
      JSON.stringify(leadingKeysOf(statement)) === JSON.stringify([partitionKeyPatterns.appRate]);
    const actions = statements.filter((statement) => !isRateBucket(statement)).flatMap((s) => asList(s.Action));
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((action) => WRITE_ACTIONS.includes(action))).toEqual([]);
    expect(statements.filter(isRateBucket).map((statement) => statement.Action)).toEqual([
      ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    ]);
  });

  it('let the signing functions reach sign request items only: no app token, counter, webhook or idempotency item', () => {
    const signerHandlers = routes.filter((route) => route.caller === 'signer').map((route) => route.handler);
    expect(signerHandlers.sort()).toEqual([
      'decline',
      'sign',
      'signing-code',
      'signing-document',
      'signing-proof',
      'signing-view',
    ]);
    for (const handler of signerHandlers) {
      const patterns = storeStatementsOf(stack.functions.for(handler)).map(leadingKeysOf);
      expect(patterns, handler).toEqual([[partitionKeyPatterns.signRequest]]);
      expect(JSON.stringify(patterns), handler).not.toContain(PartitionKeyPrefix.appToken);
    }
  });

  it('give the one-time code function no mail rights and no sender on a stage without mail', () => {
    expect(stack.mailer).toBeUndefined();
    const fn = stack.functions.for('signing-code');
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    const document =
      policy && (resourceOf(template, logicalId(policy)).Properties.PolicyDocument as { Statement: Statement[] });
    expect(
      document?.Statement.flatMap((statement) => asList(statement.Action)).filter((a) => a.startsWith('ses:')),
    ).toEqual([]);
    const variables = (resourceOf(template, logicalId(fn)).Properties.Environment as { Variables: object }).Variables;
    expect(variables).not.toHaveProperty('NOTIFY_FROM_ADDRESS');
  });

  it('let no deployed function write app token items (only the admin command, with operator credentials)', () => {
    const appTokenKey = `${PartitionKeyPrefix.appToken}0123abcd`;
    // Every pattern is a prefix and `*`, or an exact key (IAM StringLike).
    const matches = (pattern: string, key: string) =>
      pattern.endsWith('*') ? key.startsWith(pattern.slice(0, -1)) : key === pattern;
    let tokenReaders = 0;
    for (const [id, statement] of statements) {
      const patterns = leadingKeysOf(statement);
      if (!patterns?.some((pattern) => matches(pattern, appTokenKey))) continue;
      expect(asList(statement.Action), id).toEqual(['dynamodb:GetItem']);
      tokenReaders++;
    }
    // initiate, upload, recall, resend, read, document, signed-document, list, remind, certificate and edit-signer
    // look a token up; nothing else so much as reads one.
    expect(tokenReaders).toBe(11);
    // Nor can any reach an app's record (its name and current token hash), which `rotate --app-id` trusts: but for
    // the signed document maker, which reads the app's name alone (its certificate names the sender).
    const appRecordKey = `${PartitionKeyPrefix.appRecord}01APPID`;
    for (const [id, statement] of statements) {
      if (!(leadingKeysOf(statement)?.some((pattern) => matches(pattern, appRecordKey)) ?? false)) continue;
      expect(statement, id).toMatchObject({
        Action: 'dynamodb:GetItem',
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['appName'] },
          StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      });
    }
  });

  it('grant store actions on the table only; only the scheduled jobs (expiry and reminder shards) and the list (the app index) may query', () => {
    const tableArn = { 'Fn::GetAtt': [logicalId(stack.table), 'Arn'] };
    const streamArn = { 'Fn::GetAtt': [logicalId(stack.table), 'StreamArn'] };
    const scheduledJobsPolicy = stack.scheduledJobs.function.role?.node.tryFindChild('DefaultPolicy');
    const listPolicy = stack.functions.for('list').role?.node.tryFindChild('DefaultPolicy');
    let queries = 0;
    for (const [id, statement] of statements) {
      const actions = asList(statement.Action).filter((action) => action.startsWith('dynamodb:'));
      if (actions.length === 0 || isListStreams(statement)) continue;
      if (actions.some((action) => ['dynamodb:GetRecords', 'dynamodb:GetShardIterator'].includes(action))) {
        expect(statement.Resource, id).toEqual(streamArn);
      } else if (actions.includes('dynamodb:Query')) {
        queries++;
        expect(actions).toEqual(['dynamodb:Query']);
        const owner =
          id === (scheduledJobsPolicy && logicalId(scheduledJobsPolicy))
            ? 'scheduled jobs'
            : id === (listPolicy && logicalId(listPolicy))
              ? 'list'
              : id;
        expect([
          ['scheduled jobs', { 'Fn::Join': ['', [tableArn, `/index/${Gsi2.indexName}`]] }, [`${EXPIRY_SHARD_PREFIX}*`]],
          [
            'scheduled jobs',
            { 'Fn::Join': ['', [tableArn, `/index/${Gsi3.indexName}`]] },
            [`${REMINDER_SHARD_PREFIX}*`],
          ],
          ['list', { 'Fn::Join': ['', [tableArn, `/index/${Gsi1.indexName}`]] }, [`${APP_REQUESTS_PREFIX}*`]],
        ]).toContainEqual([owner, statement.Resource, leadingKeysOf(statement)]);
      } else {
        expect(statement.Resource, id).toEqual(tableArn);
      }
    }
    expect(queries).toBe(3);
  });

  it('let the list query its app index, batch-read its page’s requests, read app tokens and lease its app’s rate, and nothing else: no table query', () => {
    const list = storeStatementsOf(stack.functions.for('list'));
    expect(list.map((statement) => [statement.Action, leadingKeysOf(statement)])).toEqual([
      ['dynamodb:GetItem', [partitionKeyPatterns.appToken]],
      [['dynamodb:GetItem', 'dynamodb:UpdateItem'], [partitionKeyPatterns.appRate]],
      ['dynamodb:BatchGetItem', [partitionKeyPatterns.signRequest]],
      ['dynamodb:Query', [`${APP_REQUESTS_PREFIX}*`]],
    ]);
  });

  it('let the scheduled jobs read and update sign requests, count mail, and nothing else; the publisher touches no item', () => {
    const scheduledJobs = storeStatementsOf(stack.scheduledJobs.function).filter((statement) =>
      leadingKeysOf(statement),
    );
    expect(scheduledJobs.map((statement) => [statement.Action, leadingKeysOf(statement)])).toEqual([
      ['dynamodb:Query', [`${EXPIRY_SHARD_PREFIX}*`]],
      ['dynamodb:Query', [`${REMINDER_SHARD_PREFIX}*`]],
      [['dynamodb:GetItem', 'dynamodb:UpdateItem'], [partitionKeyPatterns.signRequest]],
      ['dynamodb:UpdateItem', [partitionKeyPatterns.mailCap]],
    ]);
    expect(storeStatementsOf(stack.events.function).every(isStreamRead)).toBe(true);
  });
});

describe('operations', () => {
  const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
  const topicRef = { Ref: logicalId(stack.alarmTopic.topic) };
  const metricNamesOf = (alarmId: string): string[] => {
    const alarm = alarms.find(([id]) => id.startsWith(alarmId))?.[1];
    expect(alarm, alarmId).toBeDefined();
    const metrics = (alarm?.Properties.Metrics ?? []) as { MetricStat?: { Metric: { MetricName: string } } }[];
    return metrics.flatMap((metric) => (metric.MetricStat ? [metric.MetricStat.Metric.MetricName] : []));
  };

  const everyFunction = [
    ...stack.functions.byHandler.values(),
    stack.events.function,
    stack.scheduledJobs.function,
    stack.webhooks.consumer.function,
    stack.signedDocuments.consumer.function,
  ];

  it('alarm on API 5xx rate, each function errors and throttles, DynamoDB system errors and dead letters', () => {
    // 5xx + store + errors and throttles per function + the publisher's, the webhooks' and the signed document
    // maker's dead-letter queues + the publisher's failures and its stream iterator age + the undelivered events
    // queue + an app at its limit.
    expect(alarms).toHaveLength(2 + 2 * everyFunction.length + 3 + 2 + 1 + 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalId(stack.signedDocuments.consumer.deadLetterQueue), 'QueueName'] },
        },
      ],
    });
    expect(metricNamesOf('ServiceAlarmsApi5xxRate').sort()).toEqual(['5xx', 'Count']);
    for (const fn of everyFunction) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }],
      });
    }
    // One SystemErrors series per operation the functions make: the metric has no table-wide total.
    const operations = new Set([...stack.functions.storeActions, 'Query']);
    const storeMetrics = metricNamesOf('ServiceAlarmsStoreSystemErrors');
    expect(storeMetrics).toHaveLength(operations.size);
    expect(new Set(storeMetrics)).toEqual(new Set(['SystemErrors']));
  });

  it('alarm on the first publish failure, counted from the publisher log line (no Lambda error counts it)', () => {
    const publisher = stack.events.function;
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logicalId(publisher.logGroup) },
      FilterPattern: `{ ($.level = "ERROR") && ($.message = "${PUBLISH_FAILURE_MESSAGE}") }`,
      MetricTransformations: [
        { MetricNamespace: 'esign-recall', MetricName: PUBLISH_FAILURES_METRIC, MetricValue: '1', DefaultValue: 0 },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'esign-recall',
      MetricName: PUBLISH_FAILURES_METRIC,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
    });
  });

  it('alarm when the publisher works on a stream record older than 10 minutes (IteratorAge, ms)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(stack.events.function) } }],
      Statistic: 'Maximum',
      Threshold: 10 * 60 * 1000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
    });
  });

  it("keep what the publisher gave up on for 14 days, SQS's longest", () => {
    expect(resourceOf(template, logicalId(stack.events.deadLetterQueue)).Properties.MessageRetentionPeriod).toBe(
      14 * 24 * 3600,
    );
  });

  it('keep the full content of events the publisher could not publish for 14 days, encrypted, TLS only', () => {
    const queue = logicalId(stack.events.undeliveredEvents);
    expect(resourceOf(template, queue).Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const publisher = resourceOf(template, logicalId(stack.events.function));
    expect(publisher.Properties.Environment).toMatchObject({
      Variables: { UNDELIVERED_EVENTS_QUEUE_URL: { Ref: queue } },
    });
  });

  it('let the publisher send to the undelivered events queue, and nothing more of it', () => {
    const queue = logicalId(stack.events.undeliveredEvents);
    const onQueue = statements.filter(([, statement]) => JSON.stringify(statement.Resource).includes(queue));
    expect(onQueue.map(([, statement]) => [statement.Action, statement.Resource])).toEqual([
      ['sqs:SendMessage', { 'Fn::GetAtt': [queue, 'Arn'] }],
    ]);
    const publisherPolicy = stack.events.function.role?.node.tryFindChild('DefaultPolicy');
    expect(onQueue.map(([id]) => id)).toEqual([publisherPolicy && logicalId(publisherPolicy)]);
  });

  it('alarm as soon as the undelivered events queue holds anything', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.events.undeliveredEvents), 'QueueName'] } },
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
      OKActions: [topicRef],
    });
  });

  it('do not alarm on DynamoDB UserErrors (lost races and refusals are the contract working)', () => {
    expect(alarms.map(([, alarm]) => alarm.Properties.MetricName)).not.toContain('UserErrors');
  });

  it('send every alarm and its recovery to the topic', () => {
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([topicRef]);
      expect(alarm.Properties.OKActions, id).toEqual([topicRef]);
      expect(alarm.Properties.TreatMissingData, id).toBe('notBreaching');
    }
  });

  it('encrypt the topic with a rotating key CloudWatch may use, and refuse non-TLS publishers', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribe the alarm email from the context, and none without it', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = synthStack({ alarmEmail: 'ops@example.com' });
    withEmail.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('output what an operator needs', () => {
    template.hasOutput('ApiUrl', {});
    template.hasOutput('TableName', { Value: { Ref: logicalId(stack.table) } });
    template.hasOutput('AlarmTopicArn', { Value: topicRef });
    template.hasOutput('WebhookDeadLetterQueueArn', {
      Value: { 'Fn::GetAtt': [logicalId(stack.webhooks.consumer.deadLetterQueue), 'Arn'] },
    });
    template.hasOutput('UndeliveredEventsQueueUrl', { Value: { Ref: logicalId(stack.events.undeliveredEvents) } });
    template.hasOutput('EventBusName', { Value: { Ref: logicalId(stack.events.bus) } });
    template.hasOutput('WebhookSigningKeySecretArn', { Value: { Ref: logicalId(stack.keys.webhook.secret) } });
    template.hasOutput('SealingKeySecretArn', { Value: { Ref: logicalId(stack.sealingKey.secret) } });
  });
});

describe('the signing keys', () => {
  const linkRef = { Ref: logicalId(stack.keys.link.secret) };
  const webhookRef = { Ref: logicalId(stack.keys.webhook.secret) };
  const cursorRef = { Ref: logicalId(stack.keys.cursor.secret) };
  const passRef = { Ref: logicalId(stack.keys.pass.secret) };
  const sealingRef = { Ref: logicalId(stack.sealingKey.secret) };
  const everyFunction = new Map<string, IFunction>([
    ...stack.functions.byHandler,
    ['publisher', stack.events.function],
    ['scheduled-jobs', stack.scheduledJobs.function],
    ['webhook-deliverer', stack.webhooks.consumer.function],
    ['signed-document-maker', stack.signedDocuments.consumer.function],
  ]);
  const variablesOf = (fn: IFunction) =>
    (resourceOf(template, logicalId(fn)).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  /** The secrets a function's role may read, by logical id. */
  const secretsReadBy = (fn: IFunction) => {
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    return statements
      .filter(([id]) => policy && id === logicalId(policy))
      .filter(([, statement]) => asList(statement.Action).some((action) => action.startsWith('secretsmanager:')))
      .map(([, statement]) => statement);
  };

  it('are four secrets, each generated by Secrets Manager as 64 letters and digits (48 bytes of base64url)', () => {
    // The others are no master key: the value CloudFront sends the functions (test/infra/edge.test.ts), and the
    // operator's sealing key (below).
    const keys = resourcesOfType(template, 'AWS::SecretsManager::Secret').filter(
      ([id]) => id !== logicalId(stack.edge.originVerify) && id !== logicalId(stack.sealingKey.secret),
    );
    expect(keys).toHaveLength(4);
    for (const [, key] of keys)
      expect(key.Properties).toMatchObject({
        GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      });
    for (const [, key] of keys) expect(key.Properties).not.toHaveProperty('SecretString');
  });

  it('include the sealing key secret, holding only a placeholder until the operator puts their key in', () => {
    const secret = resourceOf(template, logicalId(stack.sealingKey.secret));
    expect(JSON.parse(secret.Properties.SecretString as string)).toEqual(SEALING_KEY_PLACEHOLDER);
    expect(secret.Properties).not.toHaveProperty('GenerateSecretString');
    expect(secret.DeletionPolicy).toBe('Delete');
    expect(resourceOf(prod.template, prod.logicalId(prod.stack.sealingKey.secret)).DeletionPolicy).toBe('Retain');
  });

  it('use an existing secret with -c sealingKeySecretArn: no placeholder is created, and exactly that secret is read', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:esign/sealing-key-AbC123';
    const imported = synthStack({ sealingKeySecretArn: arn });
    const secrets = resourcesOfType(imported.template, 'AWS::SecretsManager::Secret').map(([, secret]) =>
      JSON.stringify(secret.Properties),
    );
    expect(secrets.some((properties) => properties.includes('REPLACE with the PEM'))).toBe(false);
    expect(imported.stack.sealingKey.imported).toBe(true);
    for (const fn of [
      imported.stack.functions.for('certificate'),
      imported.stack.functions.for('verify'),
      imported.stack.signedDocuments.consumer.function,
    ]) {
      const variables = (
        resourceOf(imported.template, imported.logicalId(fn)).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
      expect(variables.SEALING_KEY_SECRET_ARN).toBe(arn);
    }
    const reads = resourcesOfType(imported.template, 'AWS::IAM::Policy').flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }).Statement.filter(
        (statement) => statement.Resource === arn,
      ),
    );
    expect(reads).toHaveLength(3);
    for (const read of reads) expect(read.Action).toBe('secretsmanager:GetSecretValue');
    imported.template.hasOutput('SealingKeySecretArn', { Value: arn });
  });

  it('refuse a -c sealingKeySecretArn that is not the complete ARN of a secret', () => {
    expect(() =>
      synthStack({ sealingKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:esign/sealing-key' }),
    ).toThrow(/-c sealingKeySecretArn: must be the complete ARN/);
  });

  // The signing functions sign and check the page's passes with a key of their own, never the link key.
  const SIGNER_PASS_FUNCTIONS = new Set(['signing-view', 'signing-document', 'sign', 'decline', 'signing-proof']);
  it.each([...everyFunction.keys()])('%s holds at most the key of what it derives, and may only read it', (name) => {
    const fn = everyFunction.get(name)!;
    const expected: Record<string, unknown> =
      name === 'initiate' || name === 'resend' || name === 'edit-signer'
        ? { LINK_SIGNING_KEY_SECRET_ARN: linkRef }
        : SIGNER_PASS_FUNCTIONS.has(name)
          ? { SIGNER_PASS_KEY_SECRET_ARN: passRef }
          : name === 'webhook-deliverer'
            ? { WEBHOOK_SIGNING_KEY_SECRET_ARN: webhookRef }
            : name === 'list'
              ? { LIST_CURSOR_KEY_SECRET_ARN: cursorRef }
              : name === 'certificate' || name === 'verify' || name === 'signed-document-maker'
                ? { SEALING_KEY_SECRET_ARN: sealingRef }
                : {};
    const variables = variablesOf(fn);
    const keyVariables = Object.fromEntries(
      Object.entries(variables).filter(([key]) => /SIGNING_KEY|CURSOR_KEY|PASS_KEY|SEALING_KEY/.test(key)),
    );
    expect(keyVariables).toEqual(expected);
    expect(secretsReadBy(fn)).toEqual(
      Object.values(expected).map((Resource) => ({
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource,
      })),
    );
  });

  it('keep the webhook master key from the internet-facing initiate function, and the link key from the deliverer', () => {
    expect(JSON.stringify(resourceOf(template, logicalId(stack.functions.for('initiate'))))).not.toContain(
      webhookRef.Ref,
    );
    expect(JSON.stringify(secretsReadBy(stack.functions.for('initiate')))).not.toContain(webhookRef.Ref);
    expect(JSON.stringify(resourceOf(template, logicalId(stack.webhooks.consumer.function)))).not.toContain(
      linkRef.Ref,
    );
    expect(JSON.stringify(secretsReadBy(stack.webhooks.consumer.function))).not.toContain(linkRef.Ref);
  });

  it('are kept with prod data, and removed with a dev stack', () => {
    for (const ref of [linkRef, webhookRef, cursorRef, passRef])
      expect(resourceOf(template, ref.Ref).DeletionPolicy).toBe('Delete');
    for (const key of [prod.stack.keys.link, prod.stack.keys.webhook, prod.stack.keys.cursor, prod.stack.keys.pass])
      expect(resourceOf(prod.template, prod.logicalId(key.secret)).DeletionPolicy).toBe('Retain');
  });
});
