import { createInitiateHandler } from '../../functions/handlers/initiate.ts';
import { createReadHandler } from '../../functions/handlers/read.ts';
import { createRecallHandler } from '../../functions/handlers/recall.ts';
import { createSignHandler } from '../../functions/handlers/sign.ts';
import { createSigningViewHandler } from '../../functions/handlers/signing-view.ts';
import type { HttpHandler } from '../../functions/http/route.ts';
import type { HandlerName } from '../../functions/routes.ts';
import type { InitiateFunctionDependencies } from '../../functions/wiring/initiate.ts';

/**
 * The very handlers Lambda runs, by the name the route table gives them, built by the same factories from one
 * set of dependencies. Typed as a record over every HandlerName, so a route without a handler here fails the
 * type-check.
 */
export const createLocalHandlers = (deps: InitiateFunctionDependencies): Record<HandlerName, HttpHandler> => ({
  initiate: createInitiateHandler(deps),
  recall: createRecallHandler(deps),
  read: createReadHandler(deps),
  'signing-view': createSigningViewHandler(deps),
  sign: createSignHandler(deps),
});
