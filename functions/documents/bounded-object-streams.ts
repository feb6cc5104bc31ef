import { constants, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectStreamParser,
  PDFRawStream,
  PDFXRefStreamParser,
  type PDFObject,
} from 'pdf-lib';

/**
 * pdf-lib inflates every object stream while it loads a document, with its own inflater, into a buffer that
 * doubles without limit: a few kilobytes of hostile FlateDecode data would allocate gigabytes (typed arrays live
 * outside the heap, so a worker's resourceLimits do not stop them either). It also decodes every cross-reference
 * stream and walks `/Size` entries of it, whatever the stream holds, only to throw the entries away (it finds
 * objects by reading the file from start to end, never through the cross-reference data).
 *
 * So while a document loads, the two factories pdf-lib's parser calls are wrapped (both are public statics of
 * exported classes, and the wrap is undone when the load ends):
 * - an object stream is inflated here, by zlib, within what is left of a budget, and handed on uncompressed;
 * - a cross-reference stream is handed on with its trailer entries only (all pdf-lib keeps of it), and no entries
 *   to walk: `/Size 1000000000` would otherwise make a billion of them.
 *
 * Content streams and images are never inflated here: checking a document does not need them.
 */
class ObjectStreamBudgetExceeded extends Error {}
class UnreadableObjectStream extends Error {}

/** Why an object stream was not handed on. */
type ObjectStreamFailure = 'over-budget' | 'unreadable';

export interface ObjectStreamWatch {
  readonly failure: () => ObjectStreamFailure | undefined;
  readonly release: () => void;
}

const FILTER = PDFName.of('Filter');
const DECODE_PARMS = PDFName.of('DecodeParms');
const FLATE = PDFName.of('FlateDecode');
const TRAILER_KEYS = ['Root', 'Encrypt', 'Info', 'ID'].map((key) => PDFName.of(key));

/** The stream's filters, in order; refuses any but FlateDecode, the only one object streams use in practice. */
const flateSteps = (dict: PDFDict): number => {
  const filter = dict.lookup(FILTER);
  if (filter === undefined) return 0;
  const names: PDFObject[] =
    filter instanceof PDFArray ? filter.asArray().map((entry) => dict.context.lookup(entry) ?? entry) : [filter];
  for (const name of names) {
    if (name !== FLATE) throw new UnreadableObjectStream();
  }
  return names.length;
};

export const watchObjectStreams = (maxInflatedBytes: number): ObjectStreamWatch => {
  let left = maxInflatedBytes;
  let failure: ObjectStreamFailure | undefined;

  const inflateWithinBudget = (compressed: Uint8Array): Uint8Array => {
    try {
      // Z_SYNC_FLUSH accepts a stream cut short, as readers do; maxOutputLength stops zlib before it allocates more.
      const inflated = inflateSync(compressed, {
        maxOutputLength: Math.max(left, 1),
        finishFlush: constants.Z_SYNC_FLUSH,
      });
      left -= inflated.byteLength;
      return inflated;
    } catch (error) {
      if (error instanceof RangeError) throw new ObjectStreamBudgetExceeded();
      throw new UnreadableObjectStream();
    }
  };

  const objectStreams = PDFObjectStreamParser.forStream;
  const crossReferenceStreams = PDFXRefStreamParser.forStream;

  const inflateAll = (rawStream: PDFRawStream): Uint8Array => {
    try {
      let contents = rawStream.contents;
      for (let step = flateSteps(rawStream.dict); step > 0; step -= 1) contents = inflateWithinBudget(contents);
      return contents;
    } catch (error) {
      failure ??= error instanceof ObjectStreamBudgetExceeded ? 'over-budget' : 'unreadable';
      throw error;
    }
  };

  PDFObjectStreamParser.forStream = (rawStream, shouldWaitForTick) => {
    const contents = inflateAll(rawStream);
    const plain = rawStream.dict.clone();
    plain.delete(FILTER);
    plain.delete(DECODE_PARMS);
    return objectStreams(PDFRawStream.of(plain, contents), shouldWaitForTick);
  };

  PDFXRefStreamParser.forStream = (rawStream) => {
    const { dict } = rawStream;
    const trailerOnly = PDFDict.withContext(dict.context);
    for (const key of TRAILER_KEYS) {
      const value = dict.get(key);
      if (value !== undefined) trailerOnly.set(key, value);
    }
    trailerOnly.set(PDFName.of('Size'), PDFNumber.of(0));
    trailerOnly.set(PDFName.of('W'), dict.context.obj([1, 1, 1]));
    return crossReferenceStreams(PDFRawStream.of(trailerOnly, new Uint8Array(0)));
  };

  return {
    failure: () => failure,
    release: () => {
      PDFObjectStreamParser.forStream = objectStreams;
      PDFXRefStreamParser.forStream = crossReferenceStreams;
    },
  };
};
