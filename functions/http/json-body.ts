import { transportRefusals } from './refusals.ts';

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

export type JsonObject = Record<string, unknown>;

/**
 * An optional body that is absent or empty is no body, unless its content type says it is something we do not take
 * (an empty `text/plain` POST): that is refused as any body of that type is, not read as "no fields".
 */
export const refuseDeclaredNonJson = (contentType: string | undefined): void => {
  if (contentType !== undefined && !JSON_CONTENT_TYPE.test(contentType)) throw transportRefusals.unsupportedMediaType();
};

/**
 * Reads an HTTP body as one JSON object, refusing with a reason the caller can act on: too large (checked
 * before parsing, on bytes), not JSON by content type, not JSON at all, or JSON that is not an object.
 * A missing content type is tolerated (some HTTP clients send none); a declared non-JSON one is refused.
 */
export const parseJsonObjectBody = (
  body: string | undefined,
  options: { isBase64Encoded: boolean; contentType: string | undefined; maxBytes: number },
): JsonObject => {
  if (body === undefined || body === '')
    throw transportRefusals.invalidJson('The request body is empty: send a JSON object');
  const bytes = options.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.byteLength > options.maxBytes) throw transportRefusals.payloadTooLarge(options.maxBytes);
  refuseDeclaredNonJson(options.contentType);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    // Only where it broke, never the parser's own words: those quote the body, app token included.
    const position = error instanceof SyntaxError ? /at position (\d+)/.exec(error.message)?.[1] : undefined;
    throw transportRefusals.invalidJson(
      `The request body is not valid JSON${position === undefined ? '' : ` (at position ${position})`}`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw transportRefusals.invalidJson('The request body must be a JSON object');
  }
  return parsed as JsonObject;
};
