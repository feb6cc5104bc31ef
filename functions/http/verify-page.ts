import { createHash } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { LOOK } from '../look.ts';
import type { HttpHandler } from './route.ts';

/**
 * GET /verify: a page where a person picks a PDF and reads what POST /v1/verify answers about it. The file never
 * leaves for another host: the page's one script posts it to this API's own /v1/verify (connect-src 'self') and
 * writes the answer with textContent only, so nothing in an answer can become markup. The script and the style
 * sheet are inline and allowed by their hashes alone: no 'unsafe-inline', no nonce, nothing from another host.
 */
const CSS = `
body{font:${LOOK.font};margin:0;background:${LOOK.pageBackground};color:${LOOK.ink}}
main{max-width:${LOOK.width};margin:2rem auto;padding:1.5rem 2rem;background:${LOOK.card};border-radius:${LOOK.radius};box-shadow:${LOOK.cardShadow}}
h1{font-size:1.5rem;margin:.25rem 0 .5rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.answer{border-radius:6px;padding:.75rem 1rem;margin:1.25rem 0;background:#eef1f5}
.answer.valid{background:#e6f4ea}.answer.invalid{background:#fdecea}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0 0}
dt{font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}
code{font-family:ui-monospace,monospace;font-size:.85em;word-break:break-all}
`;

const SCRIPT = `
const input = document.getElementById('file');
const answer = document.getElementById('answer');
const row = (list, name, value) => {
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  const code = document.createElement(name === 'SHA-256' ? 'code' : 'span');
  code.textContent = value;
  dd.append(code);
  list.append(dt, dd);
};
const show = (kind, title, rows) => {
  answer.className = 'answer ' + kind;
  answer.replaceChildren();
  const heading = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = title;
  heading.append(strong);
  answer.append(heading);
  if (rows.length > 0) {
    const list = document.createElement('dl');
    for (const [name, value] of rows) row(list, name, value);
    answer.append(list);
  }
  answer.hidden = false;
};
input.addEventListener('change', async () => {
  const file = input.files[0];
  if (!file) return;
  show('', 'Checking ' + file.name + '…', []);
  try {
    const response = await fetch('/v1/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', accept: 'application/json' },
      body: file,
    });
    const envelope = await response.json();
    const data = envelope.Data;
    if (!data) {
      const rule = (envelope.FailRules || [])[0] || {};
      show('invalid', 'Not checked: ' + (rule.Message || 'the service answered ' + response.status), []);
    } else if (data.Valid) {
      show('valid', 'Valid: sealed by this service, unchanged since', [
        ['Request', data.RequestNo],
        ['Request id', data.SignRequestId],
        ['Status now', data.Status],
        ['SHA-256', data.Sha256],
      ]);
    } else {
      show('invalid', 'Not valid', [['Why', data.Reason], ...(data.Sha256 ? [['SHA-256', data.Sha256]] : [])]);
    }
  } catch {
    show('invalid', 'Not checked: the service could not be reached; try again.', []);
  }
});
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

const VERIFY_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sha256(SCRIPT)}`,
  `style-src ${sha256(CSS)}`,
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Check a sealed PDF</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>Check a sealed PDF</h1>
<p>Pick a certificate or a signed document this service sealed: it says whether the file is intact, which request it is evidence of, and that request's status now. Nothing is stored.</p>
<label for="file">The PDF to check</label>
<input id="file" type="file" accept="application/pdf,.pdf">
<div id="answer" class="answer" role="status" aria-live="polite" hidden></div>
<noscript><p>This page needs JavaScript to send the file; without it, POST the file to /v1/verify (docs/api.md).</p></noscript>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;

/** The page and its headers: a strict policy, no referrer, never framed, never cached (it is tiny). */
export const createVerifyPageHandler = (): HttpHandler => (_event, context) =>
  Promise.resolve<APIGatewayProxyStructuredResultV2>({
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': VERIFY_PAGE_CONTENT_SECURITY_POLICY,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
      'x-request-id': context.awsRequestId,
    },
    body: PAGE,
  });
