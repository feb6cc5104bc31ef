import type { RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, routes, type HandlerName, type IndexQuery, type StoreAccess } from '../../functions/routes.ts';
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
}

/** What each handler serves and needs, merged over its routes (a handler may serve more than one). */
const needsByHandler = (): Map<HandlerName, HandlerNeeds> => {
  const needs = new Map<HandlerName, HandlerNeeds>();
  for (const route of routes) {
    const entry = needs.get(route.handler) ?? { routeKeys: [], servesApps: false, storeAccess: {}, indexQueries: [] };
    entry.routeKeys.push(routeKey(route));
    entry.servesApps ||= route.caller === 'app';
    if ('indexQuery' in route) entry.indexQueries.push(route.indexQuery);
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
          ...(needs.servesApps
            ? {
                APP_RATE_PER_SECOND: String(props.appRate.perSecond),
                APP_RATE_BURST: String(props.appRate.burst),
              }
            : {}),
        },
        logRetention: props.logRetention,
        removalPolicy: props.removalPolicy,
      });
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
