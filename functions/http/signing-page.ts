import { createHash } from 'node:crypto';
import { signersInOrder, statusAt, type ProofKind, type SignRequest, type Signer } from '../core/sign-request.ts';
import { groupOf, isSignersTurn } from '../core/signing-order.ts';
import { shown } from '../core/visible-text.ts';
import { LOOK } from '../look.ts';

/**
 * The signer's page, as HTML: no script, no framework, nothing from another host. The one inline style sheet is
 * allowed by its hash, so the policy needs neither 'unsafe-inline' nor a nonce. Every piece of user data (document
 * name, message, names, reasons) is escaped and isolated in <bdi>, so neither markup nor a bidi override in it
 * can change the page or reorder the text around it; the <title>, which cannot hold <bdi>, gets the document name
 * with its bidi and other format characters stripped instead.
 */
const CSS = `
body{font:${LOOK.font};margin:0;background:${LOOK.pageBackground};color:${LOOK.ink}}
main{max-width:${LOOK.width};margin:2rem auto;padding:1.5rem 2rem;background:${LOOK.card};border-radius:${LOOK.radius};box-shadow:${LOOK.cardShadow}}
h1{font-size:1.5rem;margin:.25rem 0 .5rem;overflow-wrap:anywhere}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
bdi{unicode-bidi:isolate}
.meta{color:${LOOK.muted};margin:0}
.message{white-space:pre-line;border-left:4px solid ${LOOK.rule};padding:.25rem .75rem;margin:0}
.state{border-radius:6px;padding:.75rem 1rem;margin:1.25rem 0;background:#eef1f5}
.state-done{background:#e6f4ea}.state-closed{background:#fdecea}
.problems{border:2px solid ${LOOK.danger};border-radius:6px;padding:.5rem 1rem;color:${LOOK.danger}}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #6b7280;border-radius:${LOOK.controlRadius}}
button{font:inherit;margin-top:.75rem;padding:.5rem 1.25rem;border-radius:${LOOK.controlRadius};border:0;cursor:pointer}
.sign button{background:${LOOK.accent};color:${LOOK.onAccent}}.decline button{background:${LOOK.card};color:${LOOK.danger};border:1px solid ${LOOK.danger}}
ul.signers{padding-left:1.25rem}
a{color:${LOOK.accent}}
dl.document{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dl.document dt{font-weight:600}dl.document dd{margin:0;min-width:0}
.hash{font-family:ui-monospace,monospace;font-size:.85em;overflow-wrap:anywhere;word-break:break-all}
`;

const SIGNING_PAGE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SIGNING_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': SIGNING_PAGE_CONTENT_SECURITY_POLICY,
  // The page's URL holds the signer's token: no referrer may carry it anywhere, and no cache may keep it.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  vary: 'Accept',
} as const;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
/** User data in text: escaped and bidi-isolated. */
const data = (value: string): string => `<bdi>${escapeHtml(value)}</bdi>`;
/** A time as a reader reads it (UTC, to the minute), with the exact one for machines. */
const time = (iso: string): string =>
  `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;

const layout = (title: string, main: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;

/** A page with no request behind it: an invalid link, a busy service, a body the page cannot read. */
export const renderMessagePage = (title: string, message: string): string =>
  layout(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);

export interface SigningPageModel {
  request: SignRequest;
  signerId: string;
  now: string;
  /** What this signer just did with the page's form, if anything. */
  outcome?: 'signed' | 'declined';
  /** What this signer just tried with the page's form and the request refused (it had closed, or they had signed). */
  notRecorded?: 'sign' | 'decline';
  /** Why the form just posted was refused: shown above the form. */
  problems?: readonly string[];
  /** Makes the forms' actions relative to the URL the page is shown at (the link itself, or one of its forms). */
  actionBase: string;
  /** What the signer typed, given back with a refusal. */
  typed?: { signedName?: string; reason?: string };
}

interface State {
  /** 'waiting': open, but a later group of the signing order's: nothing to act on until the groups before sign. */
  kind: 'open' | 'waiting' | 'done' | 'closed';
  title: string;
  detail: string;
}

const stateOf = (model: SigningPageModel, signer: Signer): State => {
  const { request, signerId } = model;
  const nameOf = (id: string) => request.signers[id]?.name ?? 'A signer';
  switch (statusAt(request, model.now)) {
    case 'CANCELLED': {
      const recall = request.recall;
      return {
        kind: 'closed',
        title: 'This request was recalled',
        detail: recall
          ? `Recalled by ${data(recall.by)} on ${time(recall.at)}. Reason: ${data(recall.reason)}`
          : 'The sender recalled it.',
      };
    }
    case 'DECLINED': {
      const decline = request.decline;
      if (decline?.signerId === signerId) {
        return {
          kind: 'closed',
          title: 'You declined this request',
          detail: `On ${time(decline.at)}. Your reason: ${data(decline.reason)}. The sender sees your reason; nobody can sign it now.`,
        };
      }
      // Other signers learn who declined and when; the reason is for the sender.
      return {
        kind: 'closed',
        title: 'This request was declined',
        detail: decline
          ? `${data(nameOf(decline.signerId))} declined it on ${time(decline.at)}; it can no longer be signed.`
          : 'A signer declined it; it can no longer be signed.',
      };
    }
    case 'EXPIRED':
      return {
        kind: 'closed',
        title: 'This request has expired',
        detail: request.expiresAt
          ? `It could be signed until ${time(request.expiresAt)}.`
          : 'It can no longer be signed.',
      };
    case 'COMPLETED':
      return {
        kind: 'done',
        title:
          model.outcome === 'signed' ? 'Thank you: you signed, and the request is complete' : 'Every signer has signed',
        detail: `${signer.signedAt ? `You signed on ${time(signer.signedAt)} as ${data(signer.signedName ?? signer.name)}. ` : ''}Completed on ${time(request.updatedAt)}.`,
      };
    case 'PENDING':
    case 'PARTIALLY_SIGNED':
      return signer.status === 'SIGNED'
        ? {
            kind: 'done',
            title: model.outcome === 'signed' ? 'Thank you: you signed' : 'You have signed',
            detail: `On ${time(signer.signedAt ?? request.updatedAt)} as ${data(signer.signedName ?? signer.name)}. The request awaits the other signers.`,
          }
        : !isSignersTurn(request, signerId)
          ? {
              kind: 'waiting',
              title: 'Not your turn yet',
              detail:
                'The signers before you in the signing order have not all signed yet. You will be invited by e-mail once they have; until then this request can be read but not signed or declined.',
            }
          : {
              kind: 'open',
              title: 'Your signature is requested',
              detail: 'Read the request, then sign or decline below.',
            };
  }
};

/** A signer's row: on a closed request nobody is "not signed yet" any more: they did not sign. */
const progressOf = (request: SignRequest, id: string, signer: Signer, state: State): string => {
  if (request.decline?.signerId === id) return 'declined';
  if (signer.status === 'SIGNED') return 'signed';
  if (state.kind === 'closed') return 'did not sign';
  return isSignersTurn(request, id) ? 'not signed yet' : 'not invited yet';
};

/**
 * Said first, plainly, when the form just posted changed nothing: the state below says why at length, but the
 * signer pressed Sign (or Decline) and must not have to infer from it that nothing was recorded.
 */
const notRecordedNotice = (model: SigningPageModel, signer: Signer): string | undefined => {
  const tried = model.notRecorded;
  if (!tried) return undefined;
  const what = tried === 'sign' ? 'Your signature was not recorded' : 'Your decline was not recorded';
  const { request } = model;
  const why = ((): string => {
    switch (statusAt(request, model.now)) {
      case 'CANCELLED':
        return 'the sender recalled this request before it arrived, so it can no longer be signed or declined.';
      case 'DECLINED':
        return request.decline?.signerId === model.signerId
          ? 'you had already declined this request.'
          : 'a signer declined this request before it arrived, so it can no longer be signed.';
      case 'EXPIRED':
        return 'this request expired before it arrived.';
      case 'COMPLETED':
      case 'PENDING':
      case 'PARTIALLY_SIGNED':
        if (signer.status === 'SIGNED') return 'you had already signed; your earlier signature stands.';
        return isSignersTurn(request, model.signerId)
          ? 'the request changed before it arrived.'
          : 'it is not your turn yet: the signers before you have not all signed.';
    }
  })();
  return `<div class="problems" role="alert"><p><strong>${what}:</strong> ${why}</p></div>`;
};

const forms = (model: SigningPageModel): string => {
  const base = escapeHtml(model.actionBase);
  return `<form class="sign" method="post" action="${base}sign">
<h2>Sign</h2>
<label for="signedName">Type your full name to sign</label>
<input id="signedName" name="signedName" type="text" required maxlength="200" autocomplete="name" value="${escapeHtml(model.typed?.signedName ?? '')}">
<button type="submit">Sign</button>
</form>
<form class="decline" method="post" action="${base}decline">
<h2>Decline</h2>
<label for="reason">Why do you decline? (the sender will see this)</label>
<input id="reason" name="reason" type="text" required maxlength="500" value="${escapeHtml(model.typed?.reason ?? '')}">
<button type="submit">Decline</button>
</form>`;
};

/** A size as people read it, with the exact count of bytes beside it. */
const sizeOf = (bytes: number): string => {
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  if (bytes < 1024) return exact;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : [bytes / (1024 * 1024), 'MiB'];
  return `${value.toFixed(1)} ${unit} (${exact})`;
};

const hash = (sha256: string): string => `<code class="hash">${escapeHtml(sha256)}</code>`;

/** Where the page links the document behind the link: `<link>/document`, relative as the forms' actions are. */
const documentLink = (model: SigningPageModel, text: string): string =>
  `<p><a href="${escapeHtml(model.actionBase)}document" target="_blank" rel="noopener">${text}</a> (opens in a new tab)</p>`;

/**
 * What the signer is shown of the document: its facts, the SHA-256 in full (what their signature will record,
 * so they can compare it with the file they open, or were sent), and a link to it while it can be opened. Once
 * completed, the signed document follows, with its own facts and link when it is ready.
 */
const documentSection = (model: SigningPageModel, state: State): string[] => {
  const { request } = model;
  const original = request.document;
  const facts = original
    ? `<dl class="document"><dt>File</dt><dd>${data(original.name)}</dd><dt>Pages</dt><dd>${original.pages}</dd><dt>Size</dt><dd>${sizeOf(original.size)}</dd><dt>SHA-256</dt><dd>${hash(original.sha256)}</dd></dl>`
    : '<p>This request carries no document: the sender sent only its name, above.</p>';
  if (statusAt(request, model.now) === 'COMPLETED') {
    const signed = request.signedDocument;
    return [
      '<h2>Document</h2>',
      facts,
      '<h2>Signed document</h2>',
      ...(signed
        ? [
            `<p>${original ? 'The document' : 'The certificate'} with every signature, sealed by the service.</p>`,
            `<dl class="document"><dt>Sealed</dt><dd>${time(signed.madeAt)}</dd><dt>Size</dt><dd>${sizeOf(signed.size)}</dd><dt>SHA-256</dt><dd>${hash(signed.sha256)}</dd></dl>`,
            documentLink(model, 'Open the signed document (PDF)'),
          ]
        : ['<p>The signed document is being prepared; reload this page in a minute to open it.</p>']),
    ];
  }
  const access = !original
    ? []
    : state.kind === 'closed'
      ? ['<p>The document can no longer be opened from this link.</p>']
      : [documentLink(model, 'Open the document (PDF)')];
  return ['<h2>Document</h2>', facts, ...access];
};

export const renderSigningPage = (model: SigningPageModel): string => {
  const { request, signerId } = model;
  const signer = request.signers[signerId];
  if (!signer) throw new Error('the page of a signer the request does not have');
  const state = stateOf(model, signer);
  // The signing order is shown only when there is one: a request whose signers all sign at once lists no numbers.
  const ordered = new Set(Object.values(request.signers).map(groupOf)).size > 1;
  const parts = [
    `<p class="meta">Signature request ${data(request.requestNo)}${request.requestedBy ? ` from ${data(request.requestedBy)}` : ''}</p>`,
    `<h1>${data(request.documentName)}</h1>`,
    `<p class="meta">For ${data(signer.name)}</p>`,
    ...(request.message ? [`<h2>Message from the sender</h2>`, `<p class="message">${data(request.message)}</p>`] : []),
    ...documentSection(model, state),
    ...[notRecordedNotice(model, signer)].filter((notice) => notice !== undefined),
    `<div class="state state-${state.kind}" role="status"><p><strong>${state.title}</strong></p><p>${state.detail}</p></div>`,
    ...(model.problems?.length
      ? [
          `<div class="problems" role="alert"><p>That did not work:</p><ul>${model.problems
            .map((problem) => `<li>${escapeHtml(problem)}</li>`)
            .join('')}</ul></div>`,
        ]
      : []),
    ...(state.kind === 'open' ? [forms(model)] : []),
    '<h2>Signers</h2>',
    `<ul class="signers">${signersInOrder(request)
      .map(
        ([id, each]) =>
          `<li>${ordered ? `${groupOf(each)}. ` : ''}${data(each.name)}${id === signerId ? ' (you)' : ''}: ${progressOf(request, id, each, state)}</li>`,
      )
      .join('')}</ul>`,
  ];
  // A title cannot hold <bdi>: there the document name is cleaned as mail subjects are (bidi and other format
  // characters stripped, controls as spaces), so an override in it cannot reorder the tab's text.
  return layout(`${shown(request.documentName, 'A document')}: signature request`, parts.join('\n'));
};

/**
 * The request's state alone, as its page states it (recalled: by whom, when and why; declined; expired), for a
 * page of the link that is not the page itself (the document behind it): one wording, wherever it is shown.
 */
export const renderStatePage = (request: SignRequest, signerId: string, now: string): string => {
  const signer = request.signers[signerId];
  if (!signer) throw new Error('the state of a signer the request does not have');
  const state = stateOf({ request, signerId, now, actionBase: '' }, signer);
  return layout(
    state.title,
    `<p class="meta">Signature request ${data(request.requestNo)}: ${data(request.documentName)}</p>\n<h1>${state.title}</h1>\n<div class="state state-${state.kind}" role="status"><p>${state.detail}</p></div>`,
  );
};

export interface ProofPageModel {
  kind: ProofKind;
  /** Makes the forms' actions relative to the URL the page is shown at, as SigningPageModel.actionBase. */
  actionBase: string;
  /** Why the code just given did not open the link (one sentence whatever was wrong), or that the signer is locked. */
  problem?: string;
  /** A one-time code was just mailed. */
  codeSent?: boolean;
}

/**
 * The only page a signer who must give a proof sees without a pass: the form for the code (and, for a one-time
 * code by email, the button that mails one). Nothing of the request is shown, not even its name: a link alone
 * tells its holder nothing. No script: two plain forms.
 */
export const renderProofPage = (model: ProofPageModel): string => {
  const base = escapeHtml(model.actionBase);
  const email = model.kind === 'EMAIL';
  const parts = [
    '<h1>Signature request</h1>',
    email
      ? '<p>To open this request, enter the 6-digit code we email to you. It is valid for 10 minutes.</p>'
      : '<p>To open this request, enter the access code the sender gave you.</p>',
    ...(model.codeSent
      ? ['<div class="state state-open" role="status"><p>A code is on its way to your email.</p></div>']
      : []),
    ...(model.problem ? [`<div class="problems" role="alert"><p>${escapeHtml(model.problem)}</p></div>`] : []),
    ...(email
      ? [
          `<form class="code" method="post" action="${base}code">\n<button type="submit">Email me a code</button>\n</form>`,
        ]
      : []),
    `<form class="proof" method="post" action="${base}proof">
<label for="code">${email ? 'The code from your email' : 'Access code'}</label>
<input id="code" name="code" type="text" required maxlength="80" autocomplete="one-time-code" spellcheck="false">
<button type="submit">Continue</button>
</form>`,
  ];
  return layout('Signature request', parts.join('\n'));
};
