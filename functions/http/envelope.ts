import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FailRule } from '../core/errors.ts';

/** The KAiZEN envelope every answer wears: `{ FailRules: [], Data: ... }`. */
export interface Envelope<T> {
  FailRules: FailRule[];
  Data: T | null;
}

export const envelopeResponse = <T>(
  statusCode: number,
  envelope: Envelope<T>,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(envelope),
});

export const successResponse = <T>(statusCode: number, data: T): APIGatewayProxyStructuredResultV2 =>
  envelopeResponse(statusCode, { FailRules: [], Data: data });

export const failureResponse = (
  statusCode: number,
  rules: readonly FailRule[],
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => envelopeResponse(statusCode, { FailRules: [...rules], Data: null }, headers);
