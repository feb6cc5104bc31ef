import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature header, after Stripe's: `esign-signature: t=<unix seconds>,v1=<hex>`, where v1 is
 * HMAC-SHA256 keyed with the whole webhook secret (`whsec_` included, UTF-8) over `<t>.<raw body>`. Signing the
 * timestamp with the body lets a receiver refuse replays of an old, captured delivery.
 */
export const SIGNATURE_HEADER = 'esign-signature';
export const EVENT_ID_HEADER = 'esign-event-id';
export const EVENT_TYPE_HEADER = 'esign-event-type';

/** How far a signature's timestamp may be from the receiver's clock: wide enough for skew and slow networks. */
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export const computeSignature = (secret: string, timestamp: number, rawBody: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');

export const signatureHeader = (secret: string, timestamp: number, rawBody: string): string =>
  `t=${timestamp},v1=${computeSignature(secret, timestamp, rawBody)}`;

interface ParsedHeader {
  timestamp: number;
  /** More than one v1 is allowed, so a sender could sign with an old and a new secret during a rotation. */
  signatures: string[];
}

const parseHeader = (header: string): ParsedHeader | undefined => {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [name, value, ...rest] = part.trim().split('=');
    if (rest.length > 0 || value === undefined) return undefined;
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && HEX_SHA256.test(value)) signatures.push(value);
  }
  return timestamp === undefined || signatures.length === 0 ? undefined : { timestamp, signatures };
};

export interface VerificationInput {
  secret: string;
  /** The `esign-signature` header as received. */
  header: string | undefined;
  /** The body exactly as received, before any JSON parsing: re-serialized JSON would not match. */
  rawBody: string;
  nowSeconds: number;
  toleranceSeconds?: number;
}

/** True only for a well-formed header, a timestamp within tolerance and a v1 that matches, compared in constant time. */
export const verifySignature = ({
  secret,
  header,
  rawBody,
  nowSeconds,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
}: VerificationInput): boolean => {
  const parsed = header === undefined ? undefined : parseHeader(header);
  if (!parsed || Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(computeSignature(secret, parsed.timestamp, rawBody), 'hex');
  return parsed.signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
};
