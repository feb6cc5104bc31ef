import { describe, expect, it } from 'vitest';
import { parseJsonObjectBody } from '../../functions/http/json-body.ts';

const options = { isBase64Encoded: false, contentType: 'application/json', maxBytes: 32 };
const codeOf = (act: () => unknown) => {
  try {
    act();
    return 'parsed';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('parseJsonObjectBody', () => {
  it('parses a JSON object, also base64-encoded as API Gateway sends binary bodies', () => {
    expect(parseJsonObjectBody('{"a":1}', options)).toEqual({ a: 1 });
    expect(
      parseJsonObjectBody(Buffer.from('{"a":2}').toString('base64'), { ...options, isBase64Encoded: true }),
    ).toEqual({ a: 2 });
  });

  it('measures the limit in bytes, not characters', () => {
    const tenEuros = `{"a":"${'€'.repeat(10)}"}`; // 18 characters, 38 bytes
    expect(codeOf(() => parseJsonObjectBody(tenEuros, options))).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    [undefined, 'INVALID_JSON'],
    ['', 'INVALID_JSON'],
    ['{', 'INVALID_JSON'],
    ['[]', 'INVALID_JSON'],
    ['42', 'INVALID_JSON'],
    ['null', 'INVALID_JSON'],
  ])('refuses %j with %s', (body, code) => {
    expect(codeOf(() => parseJsonObjectBody(body, options))).toBe(code);
  });

  it('says where the JSON broke without quoting the body, which may hold an app token', () => {
    const messageOf = (body: string) => {
      try {
        parseJsonObjectBody(body, { ...options, maxBytes: 1024 });
      } catch (error) {
        return (error as { rules: { Message: string }[] }).rules[0]?.Message;
      }
    };
    expect(messageOf('{"appToken":esr_SECRET}')).toBe('The request body is not valid JSON');
    expect(messageOf('{"appToken":"esr_SECRET",}')).toBe('The request body is not valid JSON (at position 25)');
  });

  it('tolerates a missing content type and refuses a non-JSON one', () => {
    expect(parseJsonObjectBody('{}', { ...options, contentType: undefined })).toEqual({});
    expect(codeOf(() => parseJsonObjectBody('{}', { ...options, contentType: 'text/plain' }))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const parsed = parseJsonObjectBody('{"__proto__":{"polluted":true}}', options);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
