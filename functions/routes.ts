import type { DocumentFolder } from './documents/document-keys.ts';
import { APP_REQUESTS_PREFIX, type ItemKind } from './store/keys.ts';
import { Gsi1 } from './store/table.ts';

/**
 * The item operations a grant may name: single-item ones, and BatchGetItem, whose every key is checked against the
 * kind's partitions as a GetItem's is. A Query is granted apart, on one index (IndexQuery).
 */
export type ItemAction = 'GetItem' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchGetItem';
/** Per kind of item (functions/store/keys.ts), the operations a function may make on items of that kind. */
export type StoreAccess = Partial<Record<ItemKind, readonly ItemAction[]>>;
/**
 * A Query on one index (never the table, no other index), only on index partition keys matching `partitions`
 * (an IAM StringLike pattern, checked as dynamodb:LeadingKeys): the list's read of its own app's requests.
 */
export interface IndexQuery {
  index: string;
  partitions: string;
}

/**
 * The S3 actions a function may make on the documents bucket. PutObjectTagging: the pending tag a put carries,
 * and the mark `kept`. PutObject on uploads/: the right an upload URL acts with (it is signed with the role's).
 */
type DocumentAction = 'PutObject' | 'PutObjectTagging' | 'GetObject';
/**
 * Per folder of the documents bucket (functions/documents/document-keys.ts: documents/, the requests' PDFs;
 * uploads/, what apps PUT), the actions a function may make on objects there; CDK grants each on that prefix.
 */
export type DocumentAccess = Partial<Record<DocumentFolder, readonly DocumentAction[]>>;

/** Powertools' idempotency layer reads, creates, completes and (when the call fails) deletes its record. */
const IDEMPOTENCY_RECORDS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] as const;

/**
 * Every app route leases its app's rate tokens (functions/store/app-rates.ts): a conditional UpdateItem, and the
 * consistent GetItem that learns the bucket's state where a refused write returns no old item (the embedded store).
 */
const RATE_BUCKET = ['UpdateItem', 'GetItem'] as const;

/**
 * What the one function changing and removing signers may do, listed on both its routes alike (a function's grant
 * is one for all its routes): read and write the request, and, for a change, count the new signer's invitation
 * against the app's daily mail cap, as initiate counts its own.
 */
const EDIT_SIGNER_ACCESS = {
  appToken: ['GetItem'],
  appRate: RATE_BUCKET,
  signRequest: ['GetItem', 'UpdateItem'],
  mailCap: ['UpdateItem'],
} as const satisfies StoreAccess;

/**
 * The one route table. The local server serves it and CDK builds API Gateway routes from it, so the two
 * cannot drift. `handler` names the file in functions/handlers/ whose `handler` export serves the route.
 * `caller` says who calls: an app with its token, a signer whose link is the only credential (CDK throttles
 * signer routes on their own, tighter), or anyone (the API's own description and its docs page, and verify). `storeAccess` lists, per kind of item, the DynamoDB operations that
 * handler makes; CDK grants its function exactly these, each only on partition keys of that kind
 * (dynamodb:LeadingKeys). The embedded store checks no permissions, so test/integration/store-calls.test.ts
 * proves every call a handler makes is listed here: keep the two in step. No function may write app token
 * items: only the admin command (infra/admin/) does, with the operator's own credentials.
 */
export const routes = [
  // Before initiate, whose path it shares: a wrong method's Allow lists the methods in this order (GET, POST).
  {
    method: 'GET',
    path: '/v1/sign-requests',
    handler: 'list',
    caller: 'app',
    // BatchGetItem: a page's signing order groups, which GSI1 does not hold (store/current-orders.ts).
    storeAccess: { appToken: ['GetItem'], appRate: RATE_BUCKET, signRequest: ['BatchGetItem'] },
    indexQuery: { index: Gsi1.indexName, partitions: `${APP_REQUESTS_PREFIX}*` },
  },
  {
    method: 'POST',
    path: '/v1/sign-requests',
    handler: 'initiate',
    caller: 'app',
    storeAccess: {
      appToken: ['GetItem'],
      appRate: RATE_BUCKET,
      requestCounter: ['UpdateItem'],
      // GetItem: an Idempotency-Key retry answers the request its earlier call made (store/initiate-claims.ts).
      signRequest: ['PutItem', 'GetItem'],
      idempotency: IDEMPOTENCY_RECORDS,
      // The invitations count against the app's daily mail cap (store/mail-cap.ts).
      mailCap: ['UpdateItem'],
      // A documentId's upload: read, then claimed for the request (UpdateItem; GetItem after a refused claim).
      upload: ['GetItem', 'UpdateItem'],
    },
    // A document is put tagged pending, then marked kept; an upload's bytes are read: it deletes none.
    documentAccess: { documents: ['PutObject', 'PutObjectTagging'], uploads: ['GetObject'] },
    // It reads PDFs, in a worker of their own (infra/bundling/pdf-reader-worker.ts ships it).
    checksPdfs: true,
  },
  {
    // An upload for a PDF too large to send inline: its record, and a presigned PUT URL (workflows/upload.ts).
    method: 'POST',
    path: '/v1/documents',
    handler: 'upload',
    caller: 'app',
    storeAccess: {
      appToken: ['GetItem'],
      appRate: RATE_BUCKET,
      upload: ['PutItem'],
      idempotency: IDEMPOTENCY_RECORDS,
    },
    // No call to S3 at all: the URL it signs acts with this right, on uploads/ only.
    documentAccess: { uploads: ['PutObject'] },
  },
  {
    method: 'POST',
    path: '/v1/sign-requests/recall',
    handler: 'recall',
    caller: 'app',
    storeAccess: {
      appToken: ['GetItem'],
      appRate: RATE_BUCKET,
      signRequest: ['GetItem', 'UpdateItem'],
      idempotency: IDEMPOTENCY_RECORDS,
    },
  },
  {
    method: 'POST',
    path: '/v1/sign-requests/{signRequestId}/resend',
    handler: 'resend',
    caller: 'app',
    storeAccess: {
      appToken: ['GetItem'],
      appRate: RATE_BUCKET,
      requestCounter: ['UpdateItem'],
      // GetItem: the request resent, and the replacement a refused create finds; UpdateItem: the claim; PutItem:
      // the replacement, made by whichever call finds the claim without it (workflows/resend.ts).
      signRequest: ['GetItem', 'UpdateItem', 'PutItem'],
      idempotency: IDEMPOTENCY_RECORDS,
      // The replacement's invitations count against the app's daily mail cap, as initiate's do.
      mailCap: ['UpdateItem'],
    },
  },
  {
    method: 'GET',
    path: '/v1/sign-requests/{signRequestId}',
    handler: 'read',
    caller: 'app',
    storeAccess: { appToken: ['GetItem'], appRate: RATE_BUCKET, signRequest: ['GetItem'] },
  },
  {
    method: 'GET',
    path: '/v1/sign-requests/{signRequestId}/certificate',
    handler: 'certificate',
    caller: 'app',
    storeAccess: { appToken: ['GetItem'], appRate: RATE_BUCKET, signRequest: ['GetItem'] },
  },
  {
    // The request's original PDF (its bytes in the documents bucket: the function may read them, nothing more).
    method: 'GET',
    path: '/v1/sign-requests/{signRequestId}/document',
    handler: 'document',
    caller: 'app',
    storeAccess: { appToken: ['GetItem'], appRate: RATE_BUCKET, signRequest: ['GetItem'] },
    documentAccess: { documents: ['GetObject'] },
  },
  {
    // The completed request's signed document, as its maker stored it: the function only reads it, never makes it.
    method: 'GET',
    path: '/v1/sign-requests/{signRequestId}/signed-document',
    handler: 'signed-document',
    caller: 'app',
    storeAccess: { appToken: ['GetItem'], appRate: RATE_BUCKET, signRequest: ['GetItem'] },
    documentAccess: { documents: ['GetObject'] },
  },
  {
    method: 'POST',
    path: '/v1/sign-requests/{signRequestId}/remind',
    handler: 'remind',
    caller: 'app',
    storeAccess: {
      appToken: ['GetItem'],
      appRate: RATE_BUCKET,
      signRequest: ['GetItem', 'UpdateItem'],
      mailCap: ['UpdateItem'],
    },
  },
  // Change or remove a signer who has not acted; one function for both (one link key, one set of grants).
  {
    method: 'PATCH',
    path: '/v1/sign-requests/{signRequestId}/signers/{signerId}',
    handler: 'edit-signer',
    caller: 'app',
    storeAccess: EDIT_SIGNER_ACCESS,
  },
  {
    method: 'DELETE',
    path: '/v1/sign-requests/{signRequestId}/signers/{signerId}',
    handler: 'edit-signer',
    caller: 'app',
    storeAccess: EDIT_SIGNER_ACCESS,
  },
  {
    method: 'GET',
    path: '/v1/signing/{signingToken}',
    handler: 'signing-view',
    caller: 'signer',
    storeAccess: { signRequest: ['GetItem', 'UpdateItem'] },
  },
  {
    // The document behind the link (the original while open, the signed one once completed). Written only by a
    // signer's proof: a wrong one is counted, a right one resets the count (workflows/signer-proof.ts).
    method: 'GET',
    path: '/v1/signing/{signingToken}/document',
    handler: 'signing-document',
    caller: 'signer',
    storeAccess: { signRequest: ['GetItem', 'UpdateItem'] },
    documentAccess: { documents: ['GetObject'] },
  },
  {
    method: 'POST',
    path: '/v1/signing/{signingToken}/sign',
    handler: 'sign',
    caller: 'signer',
    storeAccess: { signRequest: ['GetItem', 'UpdateItem'] },
  },
  {
    method: 'POST',
    path: '/v1/signing/{signingToken}/decline',
    handler: 'decline',
    caller: 'signer',
    storeAccess: { signRequest: ['GetItem', 'UpdateItem'] },
  },
  {
    // A one-time code for a signer asked to prove their address (`verify: "email"`): stored as a hash by one
    // conditional write, then mailed by this function itself (SES), never through an event.
    method: 'POST',
    path: '/v1/signing/{signingToken}/code',
    handler: 'signing-code',
    caller: 'signer',
    storeAccess: { signRequest: ['GetItem', 'UpdateItem'] },
    sendsMail: true,
  },
  {
    // The signing page's code form: a signer's proof, counted as X-Signer-Proof is; a right one earns a pass.
    method: 'POST',
    path: '/v1/signing/{signingToken}/proof',
    handler: 'signing-proof',
    caller: 'signer',
    storeAccess: { signRequest: ['GetItem', 'UpdateItem'] },
  },
  // Anyone holding a PDF may ask whether this service sealed it (the edge's WAF limits it per address): the seal
  // names the request, whose current status is read.
  {
    method: 'POST',
    path: '/v1/verify',
    handler: 'verify',
    caller: 'anyone',
    storeAccess: { signRequest: ['GetItem'] },
  },
  // A person's way to the same check: a page that picks a PDF and shows verify's answer.
  { method: 'GET', path: '/verify', handler: 'verify-page', caller: 'anyone', storeAccess: {} },
  // The OpenAPI document (openapi.json, generated from the handlers' schemas) and its browsable reference.
  { method: 'GET', path: '/openapi.json', handler: 'openapi', caller: 'anyone', storeAccess: {} },
  { method: 'GET', path: '/docs', handler: 'docs', caller: 'anyone', storeAccess: {} },
  { method: 'GET', path: '/docs/redoc.standalone.js', handler: 'docs', caller: 'anyone', storeAccess: {} },
] as const satisfies readonly {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  handler: string;
  caller: 'app' | 'signer' | 'anyone';
  storeAccess: StoreAccess;
  indexQuery?: IndexQuery;
  /** The function's actions on the documents bucket, per folder; none when absent. */
  documentAccess?: DocumentAccess;
  /** Whether its function reads PDFs (and so ships the PDF reader's worker, and gets more memory and time). */
  checksPdfs?: boolean;
  /** Whether its function mails directly through SES (the one-time code), with the mailer's sender and rights. */
  sendsMail?: boolean;
}[];

export type Route = (typeof routes)[number];
export type HandlerName = Route['handler'];
/** `GET /v1/sign-requests/{signRequestId}`, as a type: one per route of the table. */
type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
export type RouteKey = KeyOf<Route>;
export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** The route key of the route a handler serves, for code that must name its own route. */
export const routeKeyOf = (handler: HandlerName): string => {
  const route = routes.find((candidate) => candidate.handler === handler);
  if (!route) throw new Error(`no route is served by ${handler}`);
  return routeKey(route);
};

/**
 * The methods of the routes at exactly this path, parameters not substituted. API Gateway hands a literal path asked
 * with a method it does not serve to a parameter route of that method instead (GET /v1/sign-requests/recall reaches
 * the read function with the id `recall`): that function refuses it as the wrong method for these.
 */
export const methodsAt = (path: string): string[] =>
  routes.filter((route) => route.path === path).map((route) => route.method);
