import { createVerifyPageHandler } from '../http/verify-page.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';

/** GET /verify: a page that checks a PDF with POST /v1/verify (functions/http/verify-page.ts). */
export const handler = await lambdaHandler(() => createVerifyPageHandler());
