import { escapeHtml } from '../../functions/notifications/html.ts';
import type { Mail } from '../../functions/notifications/mail.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';

/** The paths npm start serves the mailbox at; never in the route table, never deployed. */
export const MAILBOX_PATHS = { page: '/local/mail', json: '/local/mail.json' } as const;

export interface MailboxAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The local mailbox, as MailDev or Mailpit: every mail the service would send through SES is kept in this
 * process's memory and shown newest first, as JSON (the tests' observable) and as a page where each message
 * reads as it would arrive, its links clickable. Each message's HTML is the very HTML SES would send, shown in a
 * sandboxed frame (no script, no same-origin access), so a hostile name could not run here even if the
 * escaping in functions/notifications/mail-layout.ts failed.
 */
export class LocalMailbox extends OutboxNotifier {
  /** A long-running npm start keeps the newest this many, so the process never grows without bound. */
  static readonly KEPT = 1_000;

  override async send(mail: Mail): Promise<void> {
    await super.send(mail);
    if (this.sent.length > LocalMailbox.KEPT) this.sent.splice(0, this.sent.length - LocalMailbox.KEPT);
  }

  /** Newest first, in the JSON the issue names (PascalCase, as the API's envelope). */
  json(): { FailRules: []; Data: Record<string, unknown>[] } {
    return {
      FailRules: [],
      Data: this.newestFirst().map((mail) => ({
        To: mail.to.email,
        Subject: mail.subject,
        Text: mail.text,
        Html: mail.html,
        SentAt: mail.sentAt,
        SignRequestId: mail.signRequestId,
        Kind: mail.kind,
        // The file itself, as the recipient would save it: a test (or a developer) runs pdfsig on these bytes.
        Attachments: mail.attachment
          ? [
              {
                FileName: mail.attachment.fileName,
                ContentType: mail.attachment.contentType,
                Size: mail.attachment.bytes.byteLength,
                ContentBase64: Buffer.from(mail.attachment.bytes).toString('base64'),
              },
            ]
          : [],
      })),
    };
  }

  page(): string {
    const mails = this.newestFirst();
    const items = mails.map(
      (mail) => `<article>
<h2>${escapeHtml(mail.subject)}</h2>
<p class="meta">${escapeHtml(mail.kind)} to ${escapeHtml(mail.to.email)}, ${escapeHtml(mail.sentAt)}, request ${escapeHtml(mail.signRequestId)}</p>
<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" title="${escapeHtml(mail.subject)}" srcdoc="${escapeHtml(withLinksInNewTab(mail.html))}"></iframe>
${mail.attachment ? `<p class="meta">Attached: ${escapeHtml(mail.attachment.fileName)} (${mail.attachment.bytes.byteLength} bytes)</p>` : ''}
<details><summary>Text</summary><pre>${escapeHtml(mail.text)}</pre></details>
</article>`,
    );
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local mailbox (${mails.length})</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}article{border:1px solid #ccc;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}.meta{color:#555}iframe{width:100%;height:18rem;border:1px solid #eee}</style>
</head><body>
<h1>Local mailbox</h1>
<p>Every e-mail the service would send, newest first (${mails.length}). As JSON: <a href="${MAILBOX_PATHS.json}">${MAILBOX_PATHS.json}</a>. Kept in memory (the newest ${LocalMailbox.KEPT}) until npm start stops.</p>
${items.join('\n') || '<p>No mail yet.</p>'}
</body></html>`;
  }

  /** GET /local/mail or /local/mail.json; undefined for any other path. */
  answer(method: string, path: string): MailboxAnswer | undefined {
    if (method !== 'GET') return undefined;
    if (path === MAILBOX_PATHS.json)
      return { status: 200, contentType: 'application/json', body: JSON.stringify(this.json()) };
    if (path === MAILBOX_PATHS.page) return { status: 200, contentType: 'text/html; charset=utf-8', body: this.page() };
    return undefined;
  }

  private newestFirst(): (Mail & { sentAt: string })[] {
    return [...this.sent].reverse();
  }
}

/** Links in a mail open outside the mailbox's frame (the sandbox allows only that). */
const withLinksInNewTab = (html: string): string => html.replace('<head>', '<head><base target="_blank">');
