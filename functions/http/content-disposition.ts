/**
 * `Content-Disposition` naming the file (RFC 6266): `filename` as printable ASCII with every quote, backslash and
 * other character replaced by `_` (no header injection, no broken quoting), and `filename*` with the exact name in
 * UTF-8 percent-encoding (RFC 8187), which browsers prefer. `inline`: shown (the original); `attachment`: saved
 * (a certificate).
 */
const disposition = (kind: 'inline' | 'attachment', fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
};

/**
 * The headers of a PDF a route answers instead of the envelope (its result's `file`, http/route.ts). Never cached:
 * each belongs to one app, and evidence is made per call.
 */
export const pdfFileHeaders = (
  kind: 'inline' | 'attachment',
  fileName: string,
): Record<'content-type' | 'content-disposition' | 'cache-control' | 'x-content-type-options', string> => ({
  'content-type': 'application/pdf',
  'content-disposition': disposition(kind, fileName),
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
});
