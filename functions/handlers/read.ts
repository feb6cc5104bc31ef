import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import { signRequests } from '../dependencies.ts';
import { presentSignRequest } from '../http/presenters.ts';
import { httpRoute } from '../http/route.ts';
import { stringOf } from '../http/validation.ts';
import * as z from '../zod.ts';

/** GET /v1/sign-requests/{signRequestId}: another app's request reads exactly like a missing one. */
export const handler = httpRoute({
  auth: 'bearer',
  body: 'none',
  schema: z.object({ signRequestId: stringOf('signRequestId') }),
  handle: async ({ input, app }) => {
    const request = isUlid(input.signRequestId) ? await signRequests.get(input.signRequestId) : undefined;
    if (!request || request.appId !== app.appId) throw refusals.signRequestNotFound();
    return { statusCode: 200, data: presentSignRequest(request) };
  },
});
