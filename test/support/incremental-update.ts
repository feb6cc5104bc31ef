/**
 * Appends an incremental update to a PDF that ends in a classic cross-reference table (as the service's sealed
 * files do): one new Info dictionary, a cross-reference section for it and a trailer pointing back (/Prev) to
 * the file's own. What an editor that "saves" a signed file does; readers show the new Info, and the seal no
 * longer covers the last byte. qpdf --check accepts the result (the tests prove it).
 */
export const appendIncrementalUpdate = (pdf: Uint8Array, producer: string): Buffer => {
  const original = Buffer.from(pdf);
  const text = original.toString('latin1');
  const previous = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1];
  const trailer = text.slice(text.lastIndexOf('trailer'));
  const size = /\/Size (\d+)/.exec(trailer)?.[1];
  const root = /\/Root (\d+ \d+ R)/.exec(trailer)?.[1];
  if (previous === undefined || size === undefined || root === undefined)
    throw new Error('The file does not end in a classic cross-reference table and trailer');
  const separator = original.at(-1) === 0x0a ? '' : '\n';
  const objectAt = original.byteLength + separator.length;
  const object = `${size} 0 obj\n<< /Producer (${producer}) >>\nendobj\n`;
  const xrefAt = objectAt + object.length;
  const update =
    `${separator}${object}xref\n${size} 1\n${String(objectAt).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size ${Number(size) + 1} /Root ${root} /Info ${size} 0 R /Prev ${previous} >>\n` +
    `startxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([original, Buffer.from(update, 'latin1')]);
};
