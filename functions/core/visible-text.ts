/**
 * User data on its way into a mail: names, document names, reasons and messages come from an app, so they are
 * cleaned before they reach a subject or a body. Every control character (Unicode Cc), every format character
 * (Cf: the bidi embeddings, overrides and isolates U+202A-202E and U+2066-2069, the marks U+200E, U+200F and
 * U+061C, the zero-width space, joiners and U+FEFF, the soft hyphen, tag characters) and the line and paragraph
 * separators are removed, so no text can reorder what the reader sees ("invoice\u202Efdp.exe") or hide in a
 * name that looks empty. Format characters are removed, controls and separators become spaces, runs of whitespace one space.
 */
const FORMAT = /\p{Cf}/gu;
const BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

/** One line of user data, cleaned (format characters removed, controls as spaces); empty when nothing is left. */
export const cleanLine = (value: string): string =>
  value.replace(FORMAT, '').replace(BREAKING, ' ').replace(/\s+/gu, ' ').trim();

/** Multi-line user data (the sender's message): each line cleaned, blank lines kept as one. */
export const cleanLines = (value: string): string[] =>
  value
    .split(/\r\n|\r|\n/)
    .map(cleanLine)
    .filter((line, index, lines) => line !== '' || (index > 0 && lines[index - 1] !== ''));

/** True when a value shows nothing once cleaned: what initiate refuses for a name or a document name. */
export const isInvisible = (value: string): boolean => cleanLine(value) === '';

/** A cleaned value, or the neutral fallback when nothing visible is left of it. */
export const shown = (value: string | undefined, fallback: string): string => {
  const cleaned = cleanLine(value ?? '');
  return cleaned === '' ? fallback : cleaned;
};

/** Cut to `max` characters (whole code points), with an ellipsis when cut. */
export const capped = (value: string, max: number): string => {
  const points = [...value];
  return points.length <= max ? value : `${points.slice(0, max - 1).join('')}…`;
};
