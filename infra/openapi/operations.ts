import type { DomainError } from '../../functions/core/errors.ts';
import type { TransportRefusal } from '../../functions/http/refusals.ts';
import type { AppAuth, BodyRule } from '../../functions/http/route.ts';
import type { RouteKey } from '../../functions/routes.ts';
import type * as z from '../../functions/zod.ts';
import { evidenceOperations } from './evidence-operations.ts';
import { signerOperations } from './signer-operations.ts';
import { signingOperations } from './signing-operations.ts';
import { signRequestOperations } from './sign-request-operations.ts';

/** A route answered with the envelope: what it reads, who may call it, what it answers and refuses. */
export interface EnvelopeOperation {
  kind: 'envelope';
  operationId: string;
  tag: 'Sign requests' | 'Signing' | 'Evidence';
  summary: string;
  description: string;
  /** The schema the handler validates with: its path parameters and body fields together. */
  input: z.ZodMiniType;
  parameterDescriptions: Record<string, string>;
  /** As the handler's httpRoute definition says: where the app token is, whether a body is read. */
  auth: AppAuth;
  body: BodyRule;
  /** Whether the route honours an Idempotency-Key (its httpRoute definition has `idempotency`). */
  idempotent: boolean;
  /**
   * The query string a GET route reads (validated apart from path and body): its parameters, their JSON Schema
   * where the string the schema parses says less than it means (a number), and a query it refuses.
   */
  query?: { schema: z.ZodMiniType; schemas?: Record<string, Record<string, unknown>>; invalid: Record<string, string> };
  /** Whether the route honours If-Match (its httpRoute definition is `conditional`). */
  conditional?: boolean;
  /** Whether the route takes a signer's proof in X-Signer-Proof (a signer with an access code or one-time code). */
  signerProof?: boolean;
  /** Whether its success answers an ETag (the read). */
  etag?: boolean;
  /** A body the handler refuses field by field: the validation example is what the handler answers to it. */
  invalidBody?: Record<string, unknown>;
  requestExample?: Record<string, unknown>;
  /** The envelope's `Data` and an example of it; or, for a route that answers a file (the certificate), its type. */
  success: { status: 200 | 201 | 202; description: string } & (
    { data: z.ZodMiniType; example: unknown } | { file: { mediaType: string; description: string } }
  );
  /** A body that is a file rather than JSON (verify): its media type and what it is. */
  fileBody?: { mediaType: string; description: string };
  /** Refusals of how the request arrived that are the route's own (a file body's, no sealing key in place). */
  transportRefusals?: TransportRefusal[];
  /** A redirect it may answer instead of its success (the document route, for a document too large to answer). */
  redirect?: { status: 303; description: string; location: string };
  /** A success answered as a file of this media type instead of the envelope (refusals keep the envelope). */
  file?: { mediaType: string; headers: Record<string, string> };
  /** The business refusals this route can answer (functions/core/errors.ts), each with an example message. */
  refusals: DomainError[];
  /**
   * The signer's page: a browser whose Accept prefers text/html gets this HTML instead of the envelope, at the same
   * statuses, and may post the body as a form (application/x-www-form-urlencoded).
   */
  page?: string;
}

/** A route that answers a document of its own (the OpenAPI document, the docs page) instead of the envelope. */
interface DocumentOperation {
  kind: 'document';
  operationId: string;
  tag: 'Reference';
  summary: string;
  description: string;
  mediaType: string;
}

export type Operation = EnvelopeOperation | DocumentOperation;

/**
 * Every route of the route table, described once, by its route key: a route added to functions/routes.ts
 * without a description here fails the type-check. The request schemas come from functions/contracts/, the
 * very ones the handlers validate with.
 */
export const operations: Record<RouteKey, Operation> = {
  ...signRequestOperations,
  ...signerOperations,
  ...signingOperations,
  ...evidenceOperations,
  'GET /openapi.json': {
    kind: 'document',
    operationId: 'getOpenApiDocument',
    tag: 'Reference',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of this API, generated from the schemas the handlers validate with.',
    mediaType: 'application/json',
  },
  'GET /verify': {
    kind: 'document',
    operationId: 'getVerifyPage',
    tag: 'Reference',
    summary: 'A page to check a sealed PDF',
    description:
      'For people: pick a PDF and read what `POST /v1/verify` answers about it. One inline script, allowed by its ' +
      'hash, posts the file to this API alone (`connect-src ' +
      "'self'" +
      '`) and writes the answer as text.',
    mediaType: 'text/html',
  },
  'GET /docs': {
    kind: 'document',
    operationId: 'getDocsPage',
    tag: 'Reference',
    summary: 'The API reference page',
    description: 'A browsable reference of this document (Redoc), served with its script by this API alone.',
    mediaType: 'text/html',
  },
  'GET /docs/redoc.standalone.js': {
    kind: 'document',
    operationId: 'getDocsScript',
    tag: 'Reference',
    summary: 'The reference page’s script',
    description: 'Redoc’s standalone bundle, which the page at /docs loads.',
    mediaType: 'text/javascript',
  },
};
