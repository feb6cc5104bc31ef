import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { Gsi1, Gsi2, TableKeys, TTL_ATTRIBUTE } from '../../functions/store/table.ts';
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
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: Gsi2.indexName,
          KeySchema: [
            { AttributeName: Gsi2.partitionKey, KeyType: 'HASH' },
            { AttributeName: Gsi2.sortKey, KeyType: 'RANGE' },
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

  it('are one per handler of the route table, plus the publisher, the expiry job and the webhook deliverer', () => {
    template.resourceCountIs('AWS::Lambda::Function', handlers.length + 3);
    expect([...stack.functions.byHandler.keys()].sort()).toEqual([...handlers].sort());
  });

  it.each([
    ['publisher', stack.events.function],
    ['expiry', stack.expiry.function],
    ['webhook-deliverer', stack.webhooks.consumer.function],
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
  /** The DynamoDB actions a function's role may take, from its default policy. */
  const storeActionsOf = (handler: (typeof routes)[number]['handler']) => {
    const role = stack.functions.for(handler).role;
    const policy = role?.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error(`${handler} has no role policy`);
    const document = resourceOf(template, logicalId(policy)).Properties.PolicyDocument as { Statement: Statement[] };
    return document.Statement.flatMap((statement) => asList(statement.Action)).filter((action) =>
      action.startsWith('dynamodb:'),
    );
  };

  /** IAM has no resource-level permission for it, and the stream event source mapping needs it. */
  const isListStreams = (statement: Statement) =>
    asList(statement.Action).length === 1 && asList(statement.Action)[0] === 'dynamodb:ListStreams';

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

  it.each(routes.map((route) => [route.handler, route] as const))(
    '%s may take exactly the store actions its route lists',
    (handler, route) => {
      expect(storeActionsOf(handler).sort()).toEqual(route.storeActions.map((action) => `dynamodb:${action}`).sort());
    },
  );

  it('keep the read function read-only', () => {
    const actions = storeActionsOf('read');
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions.filter((action) => WRITE_ACTIONS.includes(action))).toEqual([]);
  });

  it('grant store actions on the table only; only the expiry job may query, and only the expiry index', () => {
    const tableArn = { 'Fn::GetAtt': [logicalId(stack.table), 'Arn'] };
    const streamArn = { 'Fn::GetAtt': [logicalId(stack.table), 'StreamArn'] };
    const expiryPolicy = stack.expiry.function.role?.node.tryFindChild('DefaultPolicy');
    for (const [id, statement] of statements) {
      const actions = asList(statement.Action).filter((action) => action.startsWith('dynamodb:'));
      if (actions.length === 0 || isListStreams(statement)) continue;
      if (actions.some((action) => ['dynamodb:GetRecords', 'dynamodb:GetShardIterator'].includes(action))) {
        expect(statement.Resource, id).toEqual(streamArn);
      } else if (actions.includes('dynamodb:Query')) {
        expect(id).toBe(expiryPolicy && logicalId(expiryPolicy));
        expect(asList(statement.Resource)).toEqual([
          tableArn,
          { 'Fn::Join': ['', [tableArn, `/index/${Gsi2.indexName}`]] },
        ]);
      } else {
        expect(statement.Resource, id).toEqual(tableArn);
      }
    }
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
    stack.expiry.function,
    stack.webhooks.consumer.function,
  ];

  it('alarm on API 5xx rate, each function errors and throttles, DynamoDB system errors and dead letters', () => {
    // 5xx + store + errors and throttles per function + the publisher's and the webhooks' dead-letter queues.
    expect(alarms).toHaveLength(2 + 2 * everyFunction.length + 2);
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
    template.hasOutput('EventBusName', { Value: { Ref: logicalId(stack.events.bus) } });
    template.hasOutput('SigningKeySecretArn', { Value: { Ref: logicalId(stack.signingKey.secret) } });
  });
});

describe('the signing key', () => {
  const secretRef = { Ref: logicalId(stack.signingKey.secret) };

  it('is generated by Secrets Manager as 64 letters and digits (48 bytes of base64url)', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
      SecretString: Match.absent(),
    });
  });

  it('reaches initiate and the webhook deliverer only, which may read it and nothing more', () => {
    const readers = new Map([
      ...stack.functions.byHandler,
      ['publisher', stack.events.function] as const,
      ['expiry', stack.expiry.function] as const,
      ['webhook-deliverer', stack.webhooks.consumer.function] as const,
    ]);
    const expected = new Set(['initiate', 'webhook-deliverer']);
    for (const [name, fn] of readers) {
      const properties = resourceOf(template, logicalId(fn)).Properties;
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.SIGNING_KEY_SECRET_ARN, name).toEqual(expected.has(name) ? secretRef : undefined);
    }
    const secretStatements = statements.filter(([, statement]) =>
      asList(statement.Action).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements.map(([, statement]) => [statement.Action, statement.Resource])).toEqual([
      ['secretsmanager:GetSecretValue', secretRef],
      ['secretsmanager:GetSecretValue', secretRef],
    ]);
    const policyOf = (fn: (typeof everyFunctionWithKey)[number]) => {
      const policy = fn.role?.node.tryFindChild('DefaultPolicy');
      return policy && logicalId(policy);
    };
    const everyFunctionWithKey = [stack.functions.for('initiate'), stack.webhooks.consumer.function];
    expect(secretStatements.map(([id]) => id).sort()).toEqual(everyFunctionWithKey.map(policyOf).sort());
  });

  it('is kept with prod data, and removed with a dev stack', () => {
    expect(resourceOf(template, secretRef.Ref).DeletionPolicy).toBe('Delete');
    expect(resourceOf(prod.template, prod.logicalId(prod.stack.signingKey.secret)).DeletionPolicy).toBe('Retain');
  });
});
