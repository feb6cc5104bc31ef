import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FailRule } from '../core/errors.ts';

/** The KAiZEN envelope every answer wears: `{ FailRules: [], Data: ... }`. */
export interface Envelope<T> {
  FailRules: FailRule[];
  Data: T | null;
}

/** The envelope of an answer: its data, or the rules it failed (and no data). Built here and nowhere else. */
const successEnvelope = <T>(data: T): Envelope<T> => ({ FailRules: [], Data: data });
export const failureEnvelope = (rules: readonly FailRule[]): Envelope<never> => ({ FailRules: [...rules], Data: null });

const envelopeResponse = <T>(
  statusCode: number,
  envelope: Envelope<T>,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify(envelope),
});

export const successResponse = <T>(statusCode: number, data: T): APIGatewayProxyStructuredResultV2 =>
  envelopeResponse(statusCode, successEnvelope(data));

export const failureResponse = (
  statusCode: number,
  rules: readonly FailRule[],
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 => envelopeResponse(statusCode, failureEnvelope(rules), headers);

/** A file as the answer, outside the envelope: API Gateway (and the local server) send the decoded bytes. */
export const fileResponse = (statusCode: number, bytes: Uint8Array): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-length': String(bytes.byteLength) },
  isBase64Encoded: true,
  body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
});
