import { capped, cleanLine, cleanLines } from '../core/visible-text.ts';
import { LOOK } from '../look.ts';
import { escapeHtml } from './html.ts';

/**
 * A mail body as parts, so that text and HTML are rendered from one description and user data cannot become
 * markup or a link: a string is our own wording; `name` is a person's name (user data, cleaned, shown as it is,
 * as a letter names people); `data` is other user data (a document name, a reason), cleaned and shown in quotes so
 * its bounds are plain; a `button` holds a signing link this service derived, the only link a mail may hold.
 */
export type Part = string | { data: string } | { name: string };
export type Block =
  { line: Part[] } | { quote: string } | { button: { link: string; label: string } } | { note: Part[] };

/** Subjects: fixed wording, the document name quoted and cut so the whole stays short. */
const MAX_SUBJECT_DOCUMENT_NAME = 80;

export const subjectWith = (wording: string, documentName: string): string =>
  `${wording} "${capped(documentName, MAX_SUBJECT_DOCUMENT_NAME)}"`;

const partText = (part: Part): string =>
  typeof part === 'string' ? part : 'data' in part ? `"${cleanLine(part.data)}"` : cleanLine(part.name);

const partHtml = (part: Part): string => {
  if (typeof part === 'string') return escapeHtml(part);
  if ('data' in part) return `&ldquo;${escapeHtml(cleanLine(part.data))}&rdquo;`;
  return escapeHtml(cleanLine(part.name));
};

export const renderText = (blocks: readonly Block[]): string =>
  blocks
    .map((block) => {
      if ('line' in block) return block.line.map(partText).join('');
      if ('note' in block) return block.note.map(partText).join('');
      if ('button' in block) return `${block.button.label}: ${block.button.link}`;
      return cleanLines(block.quote)
        .map((line) => `> ${line}`)
        .join('\n');
    })
    .join('\n\n');

/**
 * The signer's page's look (functions/look.ts), inline: mail clients drop <style> sheets and classes, so each
 * element carries its own style, and the layout is a single centred card as the page's.
 */
const STYLE = {
  body: `margin:0;padding:24px 12px;background:${LOOK.pageBackground};color:${LOOK.ink};font:${LOOK.font}`,
  card: `max-width:${LOOK.width};margin:0 auto;padding:24px 32px;background:${LOOK.card};border-radius:${LOOK.radius};box-shadow:${LOOK.cardShadow}`,
  paragraph: 'margin:0 0 16px',
  quote: `margin:0 0 16px;padding:4px 12px;border-left:4px solid ${LOOK.rule};white-space:pre-line`,
  buttonRow: 'margin:24px 0',
  button: `display:inline-block;padding:8px 20px;background:${LOOK.accent};color:${LOOK.onAccent};border-radius:${LOOK.controlRadius};text-decoration:none;font-weight:600`,
  note: `margin:16px 0 0;color:${LOOK.muted};font-size:14px`,
} as const;

const blockHtml = (block: Block): string => {
  if ('line' in block) return `<p style="${STYLE.paragraph}">${block.line.map(partHtml).join('')}</p>`;
  if ('note' in block) return `<p style="${STYLE.note}">${block.note.map(partHtml).join('')}</p>`;
  if ('button' in block)
    return `<p style="${STYLE.buttonRow}"><a href="${escapeHtml(block.button.link)}" style="${STYLE.button}">${escapeHtml(block.button.label)}</a></p>`;
  return `<blockquote style="${STYLE.quote}">${cleanLines(block.quote).map(escapeHtml).join('<br>')}</blockquote>`;
};

export const renderHtml = (subject: string, blocks: readonly Block[]): string =>
  [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title></head>`,
    `<body style="${STYLE.body}">`,
    `<div style="${STYLE.card}">`,
    ...blocks.map(blockHtml),
    '</div>',
    '</body></html>',
  ].join('\n');
