import { MAILBOX_PATHS } from './mailbox.ts';

/**
 * What `npm start` answers at `/`: where to go from here. Never deployed (the route table has no `/`, and an infra
 * test keeps it so); in AWS, API Gateway answers `/` with its own 404.
 */
export const HOME_PATH = '/';

export const homePage = (): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>esign-recall (local)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}code,pre{font-family:ui-monospace,monospace;background:#f4f5f7;border-radius:4px}pre{padding:.75rem;overflow-x:auto}</style>
</head><body>
<h1>esign-recall, running locally</h1>
<p>The sign request service, on this machine with its embedded store. Everything here is the API; nothing in it is
a user interface except the signer's page, which each signing link opens.</p>
<ul>
<li><a href="/docs">/docs</a>: the API reference (every endpoint, field and error code), from
<a href="/openapi.json">/openapi.json</a>.</li>
<li><a href="${MAILBOX_PATHS.page}">${MAILBOX_PATHS.page}</a>: every e-mail the service would send, newest first,
its signing links clickable (as JSON: <a href="${MAILBOX_PATHS.json}">${MAILBOX_PATHS.json}</a>).</li>
</ul>
<h2>Walk-through</h2>
<p>README.md's walk-through runs the recall contract's scenarios with curl. In short, with the app token npm start
printed (or the one you set with <code>LOCAL_APP_TOKEN</code>):</p>
<ol>
<li>Initiate a request: <code>POST /v1/sign-requests</code> with your <code>appToken</code>, a
<code>documentName</code> and <code>signers</code>; each signer's invitation, with their link, appears in the mailbox.</li>
<li>Open a signing link in this browser and sign, or <code>POST</code> to the link's <code>/sign</code>.</li>
<li>Recall it: <code>POST /v1/sign-requests/recall</code>; recall it again, or recall a completed request, and
see it refused.</li>
<li>Read it with <code>GET /v1/sign-requests/{id}</code> (status, signers, the recall, the history) and list
them with <code>GET /v1/sign-requests</code>.</li>
</ol>
<pre>curl -s localhost:PORT/v1/sign-requests -H 'content-type: application/json' -d '{"appToken":"…",
  "documentName":"NDA.pdf","signers":[{"name":"Asha Rao","email":"asha@example.com"}]}'</pre>
</body></html>
`;
