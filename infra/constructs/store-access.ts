import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Gsi1 } from '../../functions/store/table.ts';

/**
 * The DynamoDB operations a route may list in `storeActions` (functions/routes.ts), each with the metric
 * dimension CloudWatch reports it under. A route listing anything else fails the type-check.
 */
const OPERATIONS = {
  GetItem: Operation.GET_ITEM,
  PutItem: Operation.PUT_ITEM,
  UpdateItem: Operation.UPDATE_ITEM,
  DeleteItem: Operation.DELETE_ITEM,
  Query: Operation.QUERY,
} as const;

export type StoreAction = keyof typeof OPERATIONS;

export const metricOperation = (action: StoreAction): Operation => OPERATIONS[action];

/**
 * Exactly the listed actions on this table. The index ARN (GSI1 unless `queryIndex` names another) is added only
 * for Query, the one listed action that reads an index; no `index/*` wildcard, which a plain `table.grant()` adds.
 */
export const storeAccessStatement = (
  table: ITable,
  actions: readonly StoreAction[],
  queryIndex: string = Gsi1.indexName,
): PolicyStatement =>
  new PolicyStatement({
    actions: [...new Set(actions)].sort().map((action) => `dynamodb:${action}`),
    resources: [table.tableArn, ...(actions.includes('Query') ? [`${table.tableArn}/index/${queryIndex}`] : [])],
  });
