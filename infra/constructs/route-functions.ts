import { Stack, Validations, type CfnElement, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DOCUMENTS_PREFIX } from '../../functions/documents/document-keys.ts';
import {
  routeKey,
  routes,
  type DocumentAction,
  type HandlerName,
  type IndexQuery,
  type StoreAccess,
} from '../../functions/routes.ts';
import { routeHandlerSideFiles } from '../bundling/side-files.ts';
import { ProjectFunction } from './project-function.ts';
import {
  actionsOf,
  indexQueryStatement,
  mergeStoreAccess,
  storeAccessStatements,
  type StoreAction,
} from './store-access.ts';

export interface RouteFunctionsProps {
  table: ITable;
  /** The documents bucket: a function whose routes list documentAccess gets its name and only those actions. */
  documents: IBucket;
  /** Each app's default rate and burst, for the functions that serve app routes (they limit each app). */
  appRate: { perSecond: number; burst: number };
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/** `signing-view` -> `SigningView`: construct ids, so logical ids read like the handler they run. */
const constructIdOf = (handler: HandlerName): string =>
  handler.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());

interface HandlerNeeds {
  routeKeys: string[];
  /** Whether an app (with its token) calls one of its routes: such a function limits each app's rate. */
  servesApps: boolean;
  storeAccess: StoreAccess;
  indexQueries: IndexQuery[];
  documentAccess: DocumentAction[];
}

/** What each handler serves and needs, merged over its routes (a handler may serve more than one). */
const needsByHandler = (): Map<HandlerName, HandlerNeeds> => {
  const needs = new Map<HandlerName, HandlerNeeds>();
  for (const route of routes) {
    const entry = needs.get(route.handler) ?? {
      routeKeys: [],
      servesApps: false,
      storeAccess: {},
      indexQueries: [],
      documentAccess: [],
    };
    entry.routeKeys.push(routeKey(route));
    entry.servesApps ||= route.caller === 'app';
    if ('indexQuery' in route) entry.indexQueries.push(route.indexQuery);
    if ('documentAccess' in route) entry.documentAccess.push(...route.documentAccess);
    needs.set(route.handler, { ...entry, storeAccess: mergeStoreAccess(entry.storeAccess, route.storeAccess) });
  }
  return needs;
};

/** One function per handler of the route table, each granted only the store access its routes list, kind by kind. */
export class RouteFunctions extends Construct {
  readonly byHandler: ReadonlyMap<HandlerName, ProjectFunction>;
  /** Every DynamoDB operation some function makes: what the store's error alarm has to watch. */
  readonly storeActions: readonly StoreAction[];

  constructor(scope: Construct, id: string, props: RouteFunctionsProps) {
    super(scope, id);
    const byHandler = new Map<HandlerName, ProjectFunction>();
    const allActions = new Set<StoreAction>();
    for (const [handler, needs] of needsByHandler()) {
      const fn = new ProjectFunction(this, constructIdOf(handler), {
        handlerFile: handler,
        description: `esign-recall ${needs.routeKeys.join(', ')}`,
        environment: {
          TABLE_NAME: props.table.tableName,
          ...(needs.documentAccess.length > 0 ? { DOCUMENTS_BUCKET: props.documents.bucketName } : {}),
          ...(needs.servesApps
            ? {
                APP_RATE_PER_SECOND: String(props.appRate.perSecond),
                APP_RATE_BURST: String(props.appRate.burst),
              }
            : {}),
        },
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
        sideFiles: routeHandlerSideFiles(handler),
      });
      if (needs.documentAccess.length > 0) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: [...new Set(needs.documentAccess)].sort().map((action) => `s3:${action}`),
            resources: [props.documents.arnForObjects(`${DOCUMENTS_PREFIX}*`)],
          }),
        );
        const bucketId = Stack.of(this).getLogicalId(props.documents.node.defaultChild as CfnElement);
        if (fn.role) {
          Validations.of(fn.role).acknowledge({
            id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${DOCUMENTS_PREFIX}*]`,
            reason:
              'Object keys are documents/<appId>/<signRequestId>/original.pdf, drawn per request: the grant can ' +
              'only name their common prefix. The actions are the few this function makes (functions/routes.ts, ' +
              'documentAccess), on objects only, never on the bucket.',
          });
        }
      }
      for (const statement of storeAccessStatements(props.table, needs.storeAccess)) fn.addToRolePolicy(statement);
      for (const { index, partitions } of needs.indexQueries) {
        fn.addToRolePolicy(indexQueryStatement(props.table, index, partitions));
        allActions.add('Query');
      }
      actionsOf(needs.storeAccess).forEach((action) => allActions.add(action));
      byHandler.set(handler, fn);
    }
    this.byHandler = byHandler;
    this.storeActions = [...allActions].sort();
  }

  /** The function serving a handler; every handler of the route table has one. */
  for(handler: HandlerName): ProjectFunction {
    const fn = this.byHandler.get(handler);
    if (!fn) throw new Error(`No function for handler ${handler}`);
    return fn;
  }
}
