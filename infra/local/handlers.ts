import { handler as initiate } from '../../functions/handlers/initiate.ts';
import { handler as read } from '../../functions/handlers/read.ts';
import { handler as recall } from '../../functions/handlers/recall.ts';
import { handler as sign } from '../../functions/handlers/sign.ts';
import { handler as signingView } from '../../functions/handlers/signing-view.ts';
import type { HttpHandler } from '../../functions/http/route.ts';
import type { HandlerName } from '../../functions/routes.ts';

/**
 * The very handlers Lambda runs, by the name the route table gives them. Typed as a record over every
 * HandlerName, so a route without a handler here fails the type-check.
 */
export const localHandlers: Record<HandlerName, HttpHandler> = {
  initiate,
  recall,
  read,
  'signing-view': signingView,
  sign,
};
