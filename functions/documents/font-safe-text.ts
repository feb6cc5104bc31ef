/**
 * Text a standard PDF font can draw. The certificate uses the standard Helvetica (WinAnsi encoding: Latin-1 and
 * a few more), embedding no font, so it stays small and quick to make; a character outside that set (Chinese,
 * Cyrillic, emoji) is written as `[U+XXXX]`, its code point, rather than dropped or guessed, so the fact stays
 * exact and searchable. `encodable` is the font's character set (pdf-lib: `font.getCharacterSet()`).
 */
export const fontSafeText = (text: string, encodable: ReadonlySet<number>): string => {
  let safe = '';
  for (const char of text) {
    const point = char.codePointAt(0) ?? 0;
    safe += encodable.has(point) ? char : `[U+${point.toString(16).toUpperCase().padStart(4, '0')}]`;
  }
  return safe;
};
