import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpHandler } from './route.ts';

/** Where the page loads its script from: a route of this API (functions/routes.ts), never another host. */
const DOCS_SCRIPT_PATH = '/docs/redoc.standalone.js';

/**
 * Everything the page may load, from this API only. Redoc styles its components with styled-components, which
 * writes <style> elements at run time: hence 'unsafe-inline' for styles (never for scripts). Its search runs in a
 * worker it starts from a blob: URL. Images are this API's or data: URIs (Redoc draws its icons inline).
 */
const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'worker-src blob:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Redoc's sidebar footer shows a logo from cdn.redoc.ly, with no option to turn it off; the page must ask no
// other host for anything, so the served script shows an empty image instead.
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const EMPTY_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";

// No font is named that the browser would have to fetch: the system's own sans-serif and monospace faces.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>esign-recall API reference</title>
    <link rel="icon" href="data:," />
  </head>
  <body style="margin: 0">
    <redoc spec-url="/openapi.json" expand-responses="200,201"></redoc>
    <script src="${DOCS_SCRIPT_PATH}"></script>
  </body>
</html>
`;

const securityHeaders = {
  'content-security-policy': DOCS_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * GET /docs and GET /docs/redoc.standalone.js: a browsable reference of /openapi.json (Redoc's standalone
 * build), page and script both served by this API. `redocScript` is the library's standalone bundle: inlined at
 * build time in Lambda (functions/handlers/docs.ts), read from node_modules by the local server.
 */
export const createDocsHandler = (redocScript: string): HttpHandler => {
  const script = redocScript.replaceAll(REDOC_CDN_LOGO, EMPTY_SVG);
  return (event, context) => {
    const isScript = event.rawPath.endsWith(DOCS_SCRIPT_PATH);
    return Promise.resolve<APIGatewayProxyStructuredResultV2>({
      statusCode: 200,
      headers: {
        ...securityHeaders,
        'content-type': isScript ? 'text/javascript; charset=utf-8' : 'text/html; charset=utf-8',
        // The script changes only with a deploy; the page is tiny and always fetched fresh.
        'cache-control': isScript ? 'public, max-age=86400' : 'no-cache',
        'x-request-id': context.awsRequestId,
      },
      body: isScript ? script : PAGE,
    });
  };
};
