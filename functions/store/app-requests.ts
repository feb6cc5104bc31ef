import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OPEN_STATUSES, SignRequestStatus, type SignRequest } from '../core/sign-request.ts';
import { appRequestsPartition, PartitionKeyPrefix, signRequestKey } from './keys.ts';
import { Gsi1 } from './table.ts';

/** What a list shows of a request: exactly what GSI1 holds of it (APP_REQUESTS_PROJECTION), and its id. */
export type SignRequestSummary = Pick<
  SignRequest,
  | 'id'
  | 'requestNo'
  | 'status'
  | 'documentName'
  | 'createdAt'
  | 'updatedAt'
  | 'expiresAt'
  | 'signerCount'
  | 'signedCount'
>;

export interface AppRequestsQuery {
  appId: string;
  /** Inclusive bounds on createdAt, as UTC ISO strings with milliseconds (what toISOString gives). */
  createdFrom?: string;
  createdTo?: string;
  /** Only requests a reader sees in this status at `now` (statusAt in core). */
  status?: SignRequestStatus;
  now: string;
  /** Continue after this position (`<createdAt>#<id>`, an item's GSI1 sort key). */
  after?: string;
  /** How many index items this one call reads at most (DynamoDB's Limit counts items read, before the filter). */
  read: number;
}

export interface AppRequestsPage {
  items: SignRequestSummary[];
  /** Where the read stopped when the index may hold more: absent when this app's requests are exhausted. */
  lastPosition?: string;
}

/** An item's place in its app's list: its GSI1 sort key. */
export const positionOf = (summary: Pick<SignRequestSummary, 'createdAt' | 'id'>): string =>
  `${summary.createdAt}#${summary.id}`;

/** '~' sorts after every id character, so `createdTo` is inclusive of every request created at that very time. */
const AFTER_EVERY_ID = '#~';

const NAMES = {
  '#gsi1pk': Gsi1.partitionKey,
  '#gsi1sk': Gsi1.sortKey,
  '#status': 'status',
  '#expiresAt': 'expiresAt',
  '#signedCount': 'signedCount',
  '#signerCount': 'signerCount',
} as const;

/**
 * The filter for "a reader sees this status at :now", the exact counterpart of statusAt: an open request past its
 * deadline and not signed by all is seen as EXPIRED, so it lists under EXPIRED and not under its stored status.
 */
const DUE = '(attribute_exists(#expiresAt) AND #expiresAt <= :now AND #signedCount < #signerCount)';
const seenAs = (status: SignRequestStatus, now: string) => {
  const open = Object.fromEntries(OPEN_STATUSES.map((value, i) => [`:open${i}`, value]));
  if (status === SignRequestStatus.Expired)
    return {
      expression: `#status = :status OR (#status IN (${Object.keys(open).join(', ')}) AND ${DUE})`,
      values: { ':status': status, ':now': now, ...open },
    };
  if (OPEN_STATUSES.includes(status))
    return { expression: `#status = :status AND NOT ${DUE}`, values: { ':status': status, ':now': now } };
  return { expression: '#status = :status', values: { ':status': status } };
};

/**
 * (secondary adapter) Each app's requests, newest first, from GSI1 (`APP#<appId>`, `<createdAt>#<id>`), which holds
 * only the summary fields. One Query per call: the list workflow decides how many to make. The index is
 * eventually consistent (DynamoDB offers no consistent read on a global index): a request created a moment ago may
 * not be listed yet, and a status may lag its item by as much.
 */
export class AppRequestIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(query: AppRequestsQuery): Promise<AppRequestsPage> {
    const bounds =
      query.createdFrom && query.createdTo
        ? ' AND #gsi1sk BETWEEN :from AND :to'
        : query.createdFrom
          ? ' AND #gsi1sk >= :from'
          : query.createdTo
            ? ' AND #gsi1sk <= :to'
            : '';
    const filter = query.status ? seenAs(query.status, query.now) : undefined;
    const values: Record<string, unknown> = {
      ':pk': appRequestsPartition(query.appId),
      ...(query.createdFrom ? { ':from': query.createdFrom } : {}),
      ...(query.createdTo ? { ':to': `${query.createdTo}${AFTER_EVERY_ID}` } : {}),
      ...filter?.values,
    };
    // DynamoDB refuses a name no expression uses.
    const names = {
      '#gsi1pk': NAMES['#gsi1pk'],
      ...(bounds ? { '#gsi1sk': NAMES['#gsi1sk'] } : {}),
      ...(filter ? { '#status': NAMES['#status'] } : {}),
      ...(filter?.expression.includes('#expiresAt')
        ? {
            '#expiresAt': NAMES['#expiresAt'],
            '#signedCount': NAMES['#signedCount'],
            '#signerCount': NAMES['#signerCount'],
          }
        : {}),
    };
    const { Items = [], LastEvaluatedKey } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: Gsi1.indexName,
        KeyConditionExpression: `#gsi1pk = :pk${bounds}`,
        ...(filter ? { FilterExpression: filter.expression } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.read,
        ...(query.after ? { ExclusiveStartKey: this.startKey(query.appId, query.after) } : {}),
      }),
    );
    const lastPosition: unknown = LastEvaluatedKey?.[Gsi1.sortKey];
    return {
      items: Items.map(summaryOf),
      ...(typeof lastPosition === 'string' ? { lastPosition } : {}),
    };
  }

  /** The index key DynamoDB continues after: rebuilt from the position, in the caller's own partition only. */
  private startKey(appId: string, position: string) {
    const id = position.slice(position.lastIndexOf('#') + 1);
    return {
      ...signRequestKey(id),
      [Gsi1.partitionKey]: appRequestsPartition(appId),
      [Gsi1.sortKey]: position,
    };
  }
}

// Index items are projected from sign request items, which only SignRequestStore writes, from a SignRequest.
const summaryOf = (item: Record<string, unknown>): SignRequestSummary => ({
  id: String(item.pk).slice(PartitionKeyPrefix.signRequest.length),
  requestNo: item.requestNo as string,
  status: item.status as SignRequestStatus,
  documentName: item.documentName as string,
  createdAt: item.createdAt as string,
  updatedAt: item.updatedAt as string,
  ...(typeof item.expiresAt === 'string' ? { expiresAt: item.expiresAt } : {}),
  signerCount: item.signerCount as number,
  signedCount: item.signedCount as number,
});
