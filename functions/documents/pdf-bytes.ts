/**
 * Checks made on the raw bytes before any parser sees them: linear, bounded, no recursion.
 */

const HEADER = Buffer.from('%PDF-', 'latin1');

/** How far into a file readers look for the header (Acrobat accepts it within the first 1024 bytes). */
const HEADER_WINDOW = 1024;

/** Whether `%PDF-` and a version digit start within the first 1024 bytes. */
export const hasPdfHeader = (bytes: Uint8Array): boolean => {
  const window = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, HEADER_WINDOW + 6));
  const at = window.indexOf(HEADER);
  if (at < 0 || at >= HEADER_WINDOW) return false;
  const digit = window[at + HEADER.length];
  return digit !== undefined && digit >= 0x30 && digit <= 0x39;
};

const isWhitespace = (byte: number): boolean =>
  byte === 0x00 || byte === 0x09 || byte === 0x0a || byte === 0x0c || byte === 0x0d || byte === 0x20;
const isDelimiter = (byte: number): boolean => '()<>[]{}/%'.includes(String.fromCharCode(byte));
const hexValue = (byte: number | undefined): number => {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return -1;
};

const ENCRYPT = 'Encrypt';

/**
 * The offset of the first byte at or after `from` that is neither whitespace nor in a comment, looking at most
 * 256 bytes ahead (past the end of the bytes when there is none that near): every /Encrypt in a file may start
 * such a skip, and an unbounded one would make the scan quadratic (`/Encrypt%/Encrypt%...` on one line). A value
 * further away is left to pdf-lib's view of the trailer.
 */
const skipWhitespaceAndComments = (bytes: Uint8Array, from: number): number => {
  let cursor = from;
  const end = Math.min(bytes.length, from + 256);
  while (cursor < end) {
    const byte = bytes[cursor] as number;
    if (byte === 0x25) {
      while (cursor < end && bytes[cursor] !== 0x0a && bytes[cursor] !== 0x0d) cursor += 1;
    } else if (isWhitespace(byte)) cursor += 1;
    else return cursor;
  }
  return bytes.length;
};

/**
 * Whether the bytes hold the name /Encrypt as a dictionary key with a value that could be an encryption
 * dictionary (a reference `12 0 R` or a dictionary `<<`), spelt plainly or with #xx escapes (`/Encr#79pt`).
 * Trailers and cross-reference stream dictionaries are never compressed, so every trailer's /Encrypt is in the
 * raw bytes, including one in a trailer the parser skipped as damaged but a reader repairing the file would use.
 * Requiring a value after the name keeps `/Encrypt` as a marked-content tag in a content stream from counting.
 */
export const namesEncrypt = (bytes: Uint8Array): boolean => {
  for (let at = bytes.indexOf(0x2f); at >= 0; at = bytes.indexOf(0x2f, at + 1)) {
    let name = '';
    let cursor = at + 1;
    for (; cursor < bytes.length && name.length <= ENCRYPT.length; cursor += 1) {
      const byte = bytes[cursor] as number;
      if (isWhitespace(byte) || isDelimiter(byte)) break;
      if (byte === 0x23) {
        const high = hexValue(bytes[cursor + 1]);
        const low = hexValue(bytes[cursor + 2]);
        if (high >= 0 && low >= 0) {
          name += String.fromCharCode(high * 16 + low);
          cursor += 2;
          continue;
        }
      }
      name += String.fromCharCode(byte);
    }
    if (name !== ENCRYPT) continue;
    cursor = skipWhitespaceAndComments(bytes, cursor);
    const first = bytes[cursor];
    if (first === 0x3c || (first !== undefined && first >= 0x30 && first <= 0x39)) return true;
  }
  return false;
};
