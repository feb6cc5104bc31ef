/**
 * `Content-Disposition: inline` naming the file (RFC 6266): `filename` as printable ASCII with every quote,
 * backslash and other character replaced by `_` (no header injection, no broken quoting), and `filename*` with
 * the exact name in UTF-8 percent-encoding (RFC 8187), which browsers prefer.
 */
export const inlineDisposition = (fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const exact = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${exact}`;
};
