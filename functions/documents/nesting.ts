import { PDFArray, PDFDict, PDFStream, type PDFContext, type PDFObject } from 'pdf-lib';

/**
 * Whether any object nests arrays and dictionaries deeper than `maxNesting`. pdf-lib parses, copies and writes
 * objects recursively, so an object nested thousands deep that it did manage to parse could still overflow the
 * stack later, when the document is sealed. The walk keeps its own stack and visits each direct object once
 * (direct objects form trees; references are not followed, each indirect object is walked on its own).
 */
export const nestsDeeperThan = (context: PDFContext, maxNesting: number): boolean => {
  const pending: { object: PDFObject; depth: number }[] = [];
  for (const [, object] of context.enumerateIndirectObjects()) pending.push({ object, depth: 0 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { object, depth } = next;
    // A stream's dictionary is the stream's own, not a level inside it.
    if (object instanceof PDFStream) pending.push({ object: object.dict, depth });
    if (!(object instanceof PDFArray) && !(object instanceof PDFDict)) continue;
    const level = depth + 1;
    if (level > maxNesting) return true;
    const children = object instanceof PDFArray ? object.asArray() : object.values();
    for (const child of children) pending.push({ object: child, depth: level });
  }
  return false;
};
