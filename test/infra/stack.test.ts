import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { Gsi1, TableKeys, TTL_ATTRIBUTE } from '../../functions/store/table.ts';
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
        [TableKeys.partitionKey, TableKeys.sortKey, Gsi1.partitionKey, Gsi1.sortKey].map((AttributeName) => ({
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

  it('are one per handler of the route table', () => {
    template.resourceCountIs('AWS::Lambda::Function', handlers.length);
    expect([...stack.functions.byHandler.keys()].sort()).toEqual([...handlers].sort());
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

  it('grant no wildcard action and no wildcard resource', () => {
    expect(statements.length).toBeGreaterThan(0);
    for (const [id, statement] of statements) {
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

  it('grant store actions on the table only, not on its index or any other table', () => {
    const tableArn = { 'Fn::GetAtt': [logicalId(stack.table), 'Arn'] };
    for (const [id, statement] of statements) {
      if (!asList(statement.Action).some((action) => action.startsWith('dynamodb:'))) continue;
      expect(statement.Resource, id).toEqual(tableArn);
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

  it('alarm on API 5xx rate, each function errors and throttles, and DynamoDB system errors', () => {
    expect(alarms).toHaveLength(2 + 2 * stack.functions.byHandler.size);
    expect(metricNamesOf('ServiceAlarmsApi5xxRate').sort()).toEqual(['5xx', 'Count']);
    for (const fn of stack.functions.byHandler.values()) {
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
    const operations = new Set(stack.functions.storeActions);
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

  it('reaches the initiate function only, which may read it and nothing more', () => {
    for (const [handler, fn] of stack.functions.byHandler) {
      const properties = resourceOf(template, logicalId(fn)).Properties;
      const variables = (properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.SIGNING_KEY_SECRET_ARN, handler).toEqual(handler === 'initiate' ? secretRef : undefined);
    }
    const secretStatements = statements.filter(([, statement]) =>
      asList(statement.Action).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements.map(([, statement]) => [statement.Action, statement.Resource])).toEqual([
      ['secretsmanager:GetSecretValue', secretRef],
    ]);
    const initiatePolicy = stack.functions.for('initiate').role?.node.tryFindChild('DefaultPolicy');
    expect(secretStatements[0]?.[0]).toBe(initiatePolicy && logicalId(initiatePolicy));
  });

  it('is kept with prod data, and removed with a dev stack', () => {
    expect(resourceOf(template, secretRef.Ref).DeletionPolicy).toBe('Delete');
    expect(resourceOf(prod.template, prod.logicalId(prod.stack.signingKey.secret)).DeletionPolicy).toBe('Retain');
  });
});
