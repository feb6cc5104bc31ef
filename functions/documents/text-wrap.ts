/**
 * Splits text into lines no wider than `width` (as `widthOf` measures them): at spaces where it can, inside a
 * word only when the word alone is too wide.
 */
export const wrapText = (text: string, width: number, widthOf: (text: string) => number): string[] => {
  const lines: string[] = [];
  let line = '';
  const push = (word: string): void => {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (widthOf(candidate) <= width) {
      line = candidate;
      return;
    }
    if (line !== '') lines.push(line);
    line = '';
    if (widthOf(word) <= width) {
      line = word;
      return;
    }
    // A word wider than a line (a URL, a user agent token, a run of CJK escapes): cut it by code points.
    let piece = '';
    for (const char of word) {
      if (piece !== '' && widthOf(piece + char) > width) {
        lines.push(piece);
        piece = '';
      }
      piece += char;
    }
    line = piece;
  };
  for (const word of text.split(' ')) if (word !== '') push(word);
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
};
