import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ItemAction, StoreAccess } from '../../functions/routes.ts';
import { partitionKeyPatterns, type ItemKind } from '../../functions/store/keys.ts';

/**
 * Every DynamoDB operation a function of this service is granted, each with the metric dimension CloudWatch
 * reports it under. A grant naming anything else fails the type-check.
 */
const OPERATIONS = {
  GetItem: Operation.GET_ITEM,
  PutItem: Operation.PUT_ITEM,
  UpdateItem: Operation.UPDATE_ITEM,
  DeleteItem: Operation.DELETE_ITEM,
  BatchGetItem: Operation.BATCH_GET_ITEM,
  Query: Operation.QUERY,
} as const satisfies Record<ItemAction | 'Query', Operation>;

export type StoreAction = keyof typeof OPERATIONS;

export const metricOperation = (action: StoreAction): Operation => OPERATIONS[action];

/** `dynamodb:LeadingKeys` is multivalued, hence ForAllValues (as AWS's fine-grained access examples use it). */
const onlyPartitions = (pattern: string) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [pattern] } });

/**
 * One statement per kind of item: exactly its actions, on the table (no index), and only on partition keys of
 * that kind. Separate statements because one statement with two kinds' patterns would allow each kind's
 * actions on the other kind too. The condition cannot be sidestepped: every action granted here names at least one
 * partition key, and BatchGetItem's every key is checked (AWS's own LeadingKeys examples grant it so; DynamoDB
 * refuses a batch of no keys). No Scan or BatchWriteItem is ever granted.
 */
export const storeAccessStatements = (table: ITable, access: StoreAccess): PolicyStatement[] =>
  (Object.entries(access) as [ItemKind, readonly ItemAction[]][]).map(
    ([kind, actions]) =>
      new PolicyStatement({
        actions: [...new Set(actions)].sort().map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
        conditions: onlyPartitions(partitionKeyPatterns[kind]),
      }),
  );

/** The app record's one attribute a consumer may read: the app's name (never its token hash). */
const APP_NAME_ATTRIBUTE = 'appName';

/**
 * GetItem of app records, returning their name alone: DynamoDB checks `dynamodb:Attributes` against the call's
 * ProjectionExpression, and `dynamodb:Select` makes a call that names no attributes (the whole item) fail. So the
 * token hash `rotate --app-id` trusts stays out of reach (store/apps.ts `nameOf` asks exactly this).
 */
export const appNameReadStatement = (table: ITable): PolicyStatement =>
  new PolicyStatement({
    actions: ['dynamodb:GetItem'],
    resources: [table.tableArn],
    conditions: {
      ...onlyPartitions(partitionKeyPatterns.appRecord),
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [APP_NAME_ATTRIBUTE] },
      StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    },
  });

/**
 * Query on one index only (its ARN, not the table's, and no `index/*`), only on index partitions matching
 * `partitionPattern`. AWS documents LeadingKeys as "the partition key" and applies one LeadingKeys condition
 * to a table and its index alike (fine-grained access control, example 5); a Query on an index names only the
 * index's partition key, so that is the value checked. Should DynamoDB supply no value for it, ForAllValues
 * over nothing is true: the grant would then be exactly today's (this index only), never a refusal.
 */
export const indexQueryStatement = (table: ITable, indexName: string, partitionPattern: string): PolicyStatement =>
  new PolicyStatement({
    actions: ['dynamodb:Query'],
    resources: [`${table.tableArn}/index/${indexName}`],
    conditions: onlyPartitions(partitionPattern),
  });

/** Both grants merged, kind by kind: what a function serving more than one route needs. */
export const mergeStoreAccess = (first: StoreAccess, second: StoreAccess): StoreAccess => {
  const merged: Partial<Record<ItemKind, ItemAction[]>> = {};
  for (const access of [first, second]) {
    for (const [kind, actions] of Object.entries(access) as [ItemKind, readonly ItemAction[]][]) {
      merged[kind] = [...new Set([...(merged[kind] ?? []), ...actions])];
    }
  }
  return merged;
};

/** Every operation a grant allows, whatever the kind: what the store's error alarm has to watch. */
export const actionsOf = (access: StoreAccess): ItemAction[] => [...new Set(Object.values(access).flat())].sort();
