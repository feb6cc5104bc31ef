import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { APP_REQUESTS_PROJECTION, Gsi1, Gsi2, Gsi3, TableKeys, TTL_ATTRIBUTE } from '../../functions/store/table.ts';

export interface ServiceTableProps {
  /** prod: RETAIN and deletion protection. dev: destroyed with the stack, so `cdk destroy` leaves nothing. */
  retainData: boolean;
}

/**
 * The one table, from the same key and index names the store code and the embedded store use. No physical
 * name: CloudFormation picks one, so dev and prod (or two developers) never collide, and the name reaches the
 * functions as TABLE_NAME and the operator as a stack output.
 */
export class ServiceTable extends Table {
  constructor(scope: Construct, id: string, props: ServiceTableProps) {
    super(scope, id, {
      partitionKey: { name: TableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TableKeys.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Events build on the stream (docs/design.md); the old image lets them see what changed.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: props.retainData,
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // Each app's requests, newest first, for the list: only the summary fields are copied (APP_REQUESTS_PROJECTION).
    this.addGlobalSecondaryIndex({
      indexName: Gsi1.indexName,
      partitionKey: { name: Gsi1.partitionKey, type: AttributeType.STRING },
      sortKey: { name: Gsi1.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.INCLUDE,
      nonKeyAttributes: [...APP_REQUESTS_PROJECTION],
    });
    // Sparse and keys only: open requests with a deadline, read by the expiry job.
    this.addGlobalSecondaryIndex({
      indexName: Gsi2.indexName,
      partitionKey: { name: Gsi2.partitionKey, type: AttributeType.STRING },
      sortKey: { name: Gsi2.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
    // Sparse, keys only: requests with automatic reminders, by when the next falls due (functions/store/keys.ts).
    this.addGlobalSecondaryIndex({
      indexName: Gsi3.indexName,
      partitionKey: { name: Gsi3.partitionKey, type: AttributeType.STRING },
      sortKey: { name: Gsi3.sortKey, type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });
  }
}
