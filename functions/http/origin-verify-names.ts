/**
 * The names the edge check shares with CDK (infra/constructs/public-edge.ts), so the two cannot drift: the header
 * CloudFront adds to every request it forwards, and the variable that gives each API function the value to expect.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
export const ORIGIN_VERIFY_ENV = 'ORIGIN_VERIFY_HEADER_VALUE';
