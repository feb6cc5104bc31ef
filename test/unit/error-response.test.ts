import { describe, expect, it } from 'vitest';
import { refusals } from '../../functions/core/errors.ts';
import { errorResponse } from '../../functions/http/error-response.ts';

const bodyOf = (result: ReturnType<typeof errorResponse>) => JSON.parse(result.response.body ?? '') as unknown;

describe('errorResponse: the one place an error becomes an answer', () => {
  it('turns a refusal into its status and rules', () => {
    const result = errorResponse(refusals.alreadyCompleted(), 'req-1');
    expect(result.response.statusCode).toBe(409);
    expect(result.errorClass).toBe('refusal');
    expect(bodyOf(result)).toEqual({
      FailRules: [{ Code: 'SIGN_REQUEST_COMPLETED', Message: 'This request is already cancelled' }],
      Data: null,
    });
  });

  it.each(['ProvisionedThroughputExceededException', 'ThrottlingException', 'InternalServerError', 'TimeoutError'])(
    'turns a store %s into 503 SERVICE_UNAVAILABLE with retry advice',
    (name) => {
      const error = Object.assign(new Error('table arn:aws:dynamodb:eu-west-1:123:table/x throttled'), { name });
      const result = errorResponse(error, 'req-2');
      expect(result.response.statusCode).toBe(503);
      expect(result.response.headers?.['retry-after']).toBe('1');
      expect(result.errorClass).toBe('unavailable');
      expect(JSON.stringify(bodyOf(result))).not.toContain('arn:aws');
    },
  );

  it('turns a refused connection into 503', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' });
    expect(errorResponse(error, 'req-3').response.statusCode).toBe(503);
  });

  it('turns anything else into a 500 that names the request id and nothing internal', () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'tokenHash') at /var/task/index.mjs:1:2");
    const result = errorResponse(error, 'req-4');
    expect(result.response.statusCode).toBe(500);
    expect(result.errorClass).toBe('internal');
    const body = JSON.stringify(bodyOf(result));
    expect(body).toContain('INTERNAL_ERROR');
    expect(body).toContain('req-4');
    expect(body).not.toMatch(/tokenHash|index\.mjs|TypeError/);
  });
});
