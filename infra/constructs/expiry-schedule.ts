import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { EXPIRY_SHARD_PREFIX, REMINDER_SHARD_PREFIX } from '../../functions/store/keys.ts';
import { Gsi2, Gsi3 } from '../../functions/store/table.ts';
import { ProjectFunction } from './project-function.ts';
import { indexQueryStatement, storeAccessStatements } from './store-access.ts';

export interface ExpiryScheduleProps {
  table: ITable;
  /** How often due requests are closed; a request expires at most this long after its deadline. */
  every: Duration;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * A rule that runs the expiry function on a schedule. It reads the sparse expiry index (keys only) and closes
 * each due request with one conditional UpdateItem; signing already refuses a request past its deadline, so
 * the schedule only decides how soon the status and the SignRequestExpired event follow.
 */
export class ExpirySchedule extends Construct {
  readonly function: ProjectFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ExpiryScheduleProps) {
    super(scope, id);
    this.function = new ProjectFunction(this, 'Function', {
      handlerFile: 'expiry',
      description: 'esign-recall expiry of requests past their deadline, and automatic reminders',
      environment: { TABLE_NAME: props.table.tableName },
      logRetention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    // Reads only the expiry and reminder indexes' shards, only reads (a request due for a reminder) and updates
    // sign requests, and counts automatic reminders against the app's daily mail cap: nothing else of the table.
    this.function.addToRolePolicy(indexQueryStatement(props.table, Gsi2.indexName, `${EXPIRY_SHARD_PREFIX}*`));
    this.function.addToRolePolicy(indexQueryStatement(props.table, Gsi3.indexName, `${REMINDER_SHARD_PREFIX}*`));
    const access = { signRequest: ['GetItem', 'UpdateItem'], mailCap: ['UpdateItem'] } as const;
    for (const statement of storeAccessStatements(props.table, access)) {
      this.function.addToRolePolicy(statement);
    }
    this.rule = new Rule(this, 'Schedule', {
      schedule: Schedule.rate(props.every),
      description: 'Expire esign-recall requests past their deadline',
      targets: [new LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.minutes(10) })],
    });
  }
}
