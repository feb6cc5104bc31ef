// esbuild inlines the library's standalone bundle as a string at build time (import attribute type "text"), so
// the function ships one file and reads nothing at start. The local server reads the same file from node_modules.
import redocScript from 'redoc/bundles/redoc.standalone.js' with { type: 'text' };
import { createDocsHandler } from '../http/docs-page.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';

/** GET /docs and its script: see functions/http/docs-page.ts. */
export const handler = await lambdaHandler(() => createDocsHandler(redocScript));
