/**
 * Whether an `Accept` header prefers HTML to JSON (RFC 9110 section 12.5.1): each type gets the quality of the most
 * specific range that matches it. HTML only when it is acceptable and strictly preferred, so `application/json`,
 * the any-type range alone, or no header at all keep the JSON answers; a browser's
 * `text/html,application/xhtml+xml,...;q=0.9,<any>;q=0.8` gets the page.
 */
export const prefersHtml = (accept: string | undefined): boolean => {
  if (!accept) return false;
  const ranges = accept.split(',').flatMap((part) => {
    const [range = '', ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    return Number.isFinite(quality) ? [{ type, subtype, quality }] : [];
  });
  const qualityOf = (type: string, subtype: string): number => {
    const specificity = (range: { type: string; subtype: string }) =>
      range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : 0;
    const matching = ranges.filter(
      (range) =>
        (range.type === '*' && range.subtype === '*') ||
        (range.type === type && [subtype, '*'].includes(range.subtype)),
    );
    if (matching.length === 0) return 0;
    const best = Math.max(...matching.map(specificity));
    return Math.max(...matching.filter((range) => specificity(range) === best).map((range) => range.quality));
  };
  const html = qualityOf('text', 'html');
  return html > 0 && html > qualityOf('application', 'json');
};
