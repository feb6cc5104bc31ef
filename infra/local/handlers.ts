import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInitiateHandler } from '../../functions/handlers/initiate.ts';
import { createOpenApiHandler } from '../../functions/handlers/openapi.ts';
import { createReadHandler } from '../../functions/handlers/read.ts';
import { createRecallHandler } from '../../functions/handlers/recall.ts';
import { createRemindHandler } from '../../functions/handlers/remind.ts';
import { createSignHandler } from '../../functions/handlers/sign.ts';
import { createSigningViewHandler } from '../../functions/handlers/signing-view.ts';
import { createDocsHandler } from '../../functions/http/docs-page.ts';
import type { HttpHandler } from '../../functions/http/route.ts';
import type { HandlerName } from '../../functions/routes.ts';
import type { InitiateFunctionDependencies } from '../../functions/wiring/initiate.ts';

/**
 * The very handlers Lambda runs, by the name the route table gives them, built by the same factories from one
 * set of dependencies. Typed as a record over every HandlerName, so a route without a handler here fails the
 * type-check.
 */

/** Lambda's docs function has Redoc's script inlined by esbuild (functions/handlers/docs.ts); here it is read. */
const redocScript = (): string =>
  readFileSync(createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'), 'utf8');

export const createLocalHandlers = (deps: InitiateFunctionDependencies): Record<HandlerName, HttpHandler> => ({
  initiate: createInitiateHandler(deps),
  recall: createRecallHandler(deps),
  read: createReadHandler(deps),
  remind: createRemindHandler(deps),
  'signing-view': createSigningViewHandler(deps),
  sign: createSignHandler(deps),
  openapi: createOpenApiHandler(),
  docs: createDocsHandler(redocScript()),
});
