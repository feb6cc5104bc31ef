import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AlarmTopic } from '../constructs/alarm-topic.ts';
import { RouteFunctions } from '../constructs/route-functions.ts';
import { RouteTableApi } from '../constructs/route-table-api.ts';
import { ServiceAlarms } from '../constructs/service-alarms.ts';
import { ServiceTable } from '../constructs/service-table.ts';
import { SigningKey } from '../constructs/signing-key.ts';
import type { StageConfig } from '../stage-config.ts';

export interface EsignRecallStackProps extends StackProps {
  config: StageConfig;
}

/**
 * The whole service in one stack: API Gateway -> one function per handler -> the one table, with alarms to a
 * topic. Environment-agnostic (no account or region lookups), so it synthesizes offline without credentials.
 */
export class EsignRecallStack extends Stack {
  readonly table: ServiceTable;
  readonly functions: RouteFunctions;
  readonly api: RouteTableApi;
  readonly alarms: ServiceAlarms;
  readonly alarmTopic: AlarmTopic;
  readonly signingKey: SigningKey;

  constructor(scope: Construct, id: string, props: EsignRecallStackProps) {
    super(scope, id, props);
    const { config } = props;
    const lifecycle = { logRetention: config.logRetention, removalPolicy: config.removalPolicy };

    this.table = new ServiceTable(this, 'Table', { retainData: config.retainData });
    this.functions = new RouteFunctions(this, 'Functions', { table: this.table, ...lifecycle });
    // Only initiate derives signing secrets; signing routes check a token against its stored hash.
    this.signingKey = new SigningKey(this, 'SigningKey', { removalPolicy: config.removalPolicy });
    this.signingKey.grantTo(this.functions.for('initiate'));
    this.api = new RouteTableApi(this, 'Api', { functions: this.functions, throttle: config.throttle, ...lifecycle });
    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      removalPolicy: config.removalPolicy,
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
    });
    this.alarms = new ServiceAlarms(this, 'ServiceAlarms', {
      stage: this.api.stage,
      functions: this.functions,
      table: this.table,
      storeActions: this.functions.storeActions,
      topic: this.alarmTopic.topic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the API, ends with /' });
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'TABLE_NAME for `npm run app -- create` against this stage',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topic.topicArn,
      description: 'Subscribe to receive alarms',
    });
  }
}
