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

export interface ScheduledJobsProps {
  table: ITable;
  /** How often the jobs run; a request expires at most this long after its deadline. */
  every: Duration;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/**
 * The scheduled jobs function (functions/handlers/scheduled-jobs.ts) and the rule that runs it. Each run expires
 * what is due: it reads the sparse expiry index (keys only) and closes each due request with one conditional
 * UpdateItem; signing already refuses a request past its deadline, so the schedule only decides how soon the
 * status and the SignRequestExpired event follow. Then it records the automatic reminders due, which the mailer
 * sends.
 */
export class ScheduledJobs extends Construct {
  readonly function: ProjectFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    this.function = new ProjectFunction(this, 'Function', {
      handlerFile: 'scheduled-jobs',
      description: 'esign-recall scheduled jobs: expiry of requests past their deadline, and automatic reminders',
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
      description: 'Run the esign-recall scheduled jobs: expire requests past their deadline, remind those due',
      targets: [new LambdaFunction(this.function, { retryAttempts: 2, maxEventAge: Duration.minutes(10) })],
    });
  }
}
