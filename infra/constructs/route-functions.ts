import { Duration, Stack, Validations, type CfnElement, type RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DOCUMENT_FOLDERS, type DocumentFolder } from '../../functions/documents/document-keys.ts';
import {
  routeKey,
  routes,
  type DocumentAccess,
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
  documentAccess: DocumentAccess;
  checksPdfs: boolean;
}

/** Both routes' actions, folder by folder, each folder's listed once and sorted. */
const mergeDocumentAccess = (a: DocumentAccess, b: DocumentAccess): DocumentAccess => {
  const merged: DocumentAccess = {};
  for (const folder of Object.keys(DOCUMENT_FOLDERS) as DocumentFolder[]) {
    const actions = [...new Set([...(a[folder] ?? []), ...(b[folder] ?? [])])].sort();
    if (actions.length > 0) merged[folder] = actions;
  }
  return merged;
};

/**
 * A function that reads PDFs (initiate) checks up to 25 MiB of an upload: the bytes, their copy in the reader's
 * worker (whose heap alone may reach 256 MiB, and whose inflated object streams up to 64 MiB more, outside it)
 * and the put of them again do not fit the default 512 MB beside the SDK; more memory also buys the CPU the
 * reading needs. Its time: reading 25 MiB from S3 and putting it back (under a second each in-region), the
 * reader's own bound (10 s) and the store's calls, under API Gateway's 30 s integration limit.
 */
const PDF_CHECKING_FUNCTION = { memorySize: 1536, timeout: Duration.seconds(28) };

/** What each handler serves and needs, merged over its routes (a handler may serve more than one). */
const needsByHandler = (): Map<HandlerName, HandlerNeeds> => {
  const needs = new Map<HandlerName, HandlerNeeds>();
  for (const route of routes) {
    const entry = needs.get(route.handler) ?? {
      routeKeys: [],
      servesApps: false,
      storeAccess: {},
      indexQueries: [],
      documentAccess: {},
      checksPdfs: false,
    };
    entry.routeKeys.push(routeKey(route));
    entry.servesApps ||= route.caller === 'app';
    if ('indexQuery' in route) entry.indexQueries.push(route.indexQuery);
    if ('documentAccess' in route)
      entry.documentAccess = mergeDocumentAccess(entry.documentAccess, route.documentAccess);
    if ('checksPdfs' in route) entry.checksPdfs ||= route.checksPdfs;
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
      const folders = (Object.keys(needs.documentAccess) as DocumentFolder[]).sort();
      const fn = new ProjectFunction(this, constructIdOf(handler), {
        handlerFile: handler,
        description: `esign-recall ${needs.routeKeys.join(', ')}`,
        environment: {
          TABLE_NAME: props.table.tableName,
          ...(folders.length > 0 ? { DOCUMENTS_BUCKET: props.documents.bucketName } : {}),
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
        ...(needs.checksPdfs ? PDF_CHECKING_FUNCTION : {}),
      });
      const bucketId = Stack.of(this).getLogicalId(props.documents.node.defaultChild as CfnElement);
      for (const folder of folders) {
        const prefix = DOCUMENT_FOLDERS[folder];
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: (needs.documentAccess[folder] ?? []).map((action) => `s3:${action}`),
            resources: [props.documents.arnForObjects(`${prefix}*`)],
          }),
        );
        if (fn.role) {
          Validations.of(fn.role).acknowledge({
            id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
            reason:
              'Object keys are documents/<appId>/<signRequestId>/original.pdf and uploads/<appId>/<documentId>.pdf, ' +
              'drawn per request or upload: the grant can only name their common prefix. The actions are the few ' +
              'this function makes (functions/routes.ts, documentAccess), on objects only, never on the bucket.',
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
