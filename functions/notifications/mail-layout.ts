import { capped, cleanLine, cleanLines } from '../core/visible-text.ts';
import { escapeHtml } from './html.ts';

/**
 * A mail body as parts, so that text and HTML are rendered from one description and user data cannot become
 * markup or a link: `literal` is our own wording; `data` is user data, cleaned and shown in quotes; `link` is a
 * signing link this service derived, the only link a mail may hold.
 */
export type Part = string | { data: string } | { link: string };
export type Block = { line: Part[] } | { quote: string };

/** Subjects: fixed wording, the document name quoted and cut so the whole stays short. */
const MAX_SUBJECT_DOCUMENT_NAME = 80;

export const subjectWith = (wording: string, documentName: string): string =>
  `${wording} "${capped(documentName, MAX_SUBJECT_DOCUMENT_NAME)}"`;

const partText = (part: Part): string =>
  typeof part === 'string' ? part : 'data' in part ? `"${cleanLine(part.data)}"` : part.link;

const partHtml = (part: Part): string => {
  if (typeof part === 'string') return escapeHtml(part);
  if ('data' in part) return `&ldquo;<span class="data">${escapeHtml(cleanLine(part.data))}</span>&rdquo;`;
  return `<a href="${escapeHtml(part.link)}">${escapeHtml(part.link)}</a>`;
};

export const renderText = (blocks: readonly Block[]): string =>
  blocks
    .map((block) =>
      'line' in block
        ? block.line.map(partText).join('')
        : cleanLines(block.quote)
            .map((line) => `> ${line}`)
            .join('\n'),
    )
    .join('\n\n');

export const renderHtml = (subject: string, blocks: readonly Block[]): string =>
  [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head><body>`,
    ...blocks.map((block) =>
      'line' in block
        ? `<p>${block.line.map(partHtml).join('')}</p>`
        : `<blockquote>${cleanLines(block.quote).map(escapeHtml).join('<br>')}</blockquote>`,
    ),
    '</body></html>',
  ].join('\n');
