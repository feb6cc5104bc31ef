/**
 * Where a PDF's signatures sit, read from the raw bytes (no PDF parser: the verify function stays small, and a
 * broken file cannot make a parser throw). Each `/ByteRange [0 a b c]` names the signed bytes [0, a) and
 * [b, b + c); the gap [a, b) holds the signature's `/Contents <hex>`.
 */
export interface SignedRange {
  /** Where the gap starts: the `<` of /Contents. */
  readonly gapStart: number;
  /** Where the gap ends: just past the `>`. */
  readonly gapEnd: number;
  /** Where the second signed range ends. */
  readonly end: number;
}

const BYTE_RANGE = Buffer.from('/ByteRange');
const BYTE_RANGE_ARRAY = /^\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/;
/** Longer than any ByteRange array that numbers fit in. */
const WINDOW = 96;

/** Every well-formed /ByteRange in the file, in file order. */
export const signedRanges = (pdf: Uint8Array): SignedRange[] => {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const ranges: SignedRange[] = [];
  for (let at = bytes.indexOf(BYTE_RANGE); at !== -1; at = bytes.indexOf(BYTE_RANGE, at + 1)) {
    const match = BYTE_RANGE_ARRAY.exec(bytes.toString('latin1', at, at + WINDOW));
    if (match === null) continue;
    const [start, gapStart, gapEnd, length] = match.slice(1).map(Number) as [number, number, number, number];
    if (start !== 0 || gapStart <= 0 || gapEnd <= gapStart) continue;
    ranges.push({ gapStart, gapEnd, end: gapEnd + length });
  }
  return ranges;
};

/**
 * The DER bytes of the signature in the gap: `<`, lower-case hex digits (as the sealer writes them, so a file
 * that differs from the sealed one in the case of a digit is not taken for it), `>`. Undefined when the gap
 * holds anything else.
 */
export const signatureInGap = (pdf: Uint8Array, range: SignedRange): Buffer | undefined => {
  if (range.gapEnd > pdf.byteLength) return undefined;
  const gap = Buffer.from(pdf.buffer, pdf.byteOffset + range.gapStart, range.gapEnd - range.gapStart).toString(
    'latin1',
  );
  const hex = /^<([0-9a-f]*)>$/.exec(gap)?.[1];
  if (hex === undefined || hex.length % 2 !== 0) return undefined;
  return Buffer.from(hex, 'hex');
};

/** The signed bytes of a range: [0, gapStart) and [gapEnd, end). */
export const signedBytes = (pdf: Uint8Array, range: SignedRange): Uint8Array[] => [
  pdf.subarray(0, range.gapStart),
  pdf.subarray(range.gapEnd, range.end),
];
