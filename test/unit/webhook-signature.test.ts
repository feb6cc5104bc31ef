import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveWebhookSecret } from '../../functions/webhooks/secret.ts';
import { computeSignature, signatureHeader, verifySignature } from '../../functions/webhooks/signature.ts';

const secret = 'whsec_test-secret';
const body = '{"type":"SignRequestRecalled","eventId":"01HV.4"}';
const t = 1_800_000_000;

describe('signatureHeader', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 keyed with the whole secret over "<t>.<raw body>">', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });
});

describe('verifySignature', () => {
  const verify = (overrides: Partial<Parameters<typeof verifySignature>[0]> = {}) =>
    verifySignature({ secret, header: signatureHeader(secret, t, body), rawBody: body, nowSeconds: t, ...overrides });

  it('accepts what signatureHeader produced', () => {
    expect(verify()).toBe(true);
  });

  it('refuses another body, another secret, or a changed signature', () => {
    expect(verify({ rawBody: body.replace('4', '5') })).toBe(false);
    expect(verify({ rawBody: `${body} ` })).toBe(false);
    expect(verify({ secret: 'whsec_other' })).toBe(false);
    const header = signatureHeader(secret, t, body);
    expect(verify({ header: header.slice(0, -1) + (header.endsWith('0') ? '1' : '0') })).toBe(false);
  });

  it('refuses a timestamp moved without re-signing: the timestamp is signed too', () => {
    const header = signatureHeader(secret, t, body).replace(`t=${t}`, `t=${t + 1}`);
    expect(verify({ header, nowSeconds: t + 1 })).toBe(false);
  });

  it('accepts a timestamp up to 5 minutes off either way, and refuses one beyond', () => {
    expect(verify({ nowSeconds: t + 300 })).toBe(true);
    expect(verify({ nowSeconds: t - 300 })).toBe(true);
    expect(verify({ nowSeconds: t + 301 })).toBe(false);
    expect(verify({ nowSeconds: t - 301 })).toBe(false);
    expect(verify({ nowSeconds: t + 30, toleranceSeconds: 10 })).toBe(false);
  });

  it('refuses a missing or malformed header', () => {
    const v1 = computeSignature(secret, t, body);
    for (const header of [undefined, '', `v1=${v1}`, `t=${t}`, `t=abc,v1=${v1}`, `t=${t},v1=${v1.toUpperCase()}`])
      expect(verify({ header })).toBe(false);
    expect(verify({ header: `t=${t},v1=${v1}=x` })).toBe(false);
  });

  it('accepts a header with several v1 values if one matches (a secret rotation), ignoring unknown schemes', () => {
    const good = computeSignature(secret, t, body);
    const old = computeSignature('whsec_old', t, body);
    expect(verify({ header: `t=${t},v1=${old},v1=${good}` })).toBe(true);
    expect(verify({ header: `t=${t},v0=abc,v1=${good}` })).toBe(true);
    expect(verify({ header: `t=${t},v1=${old}` })).toBe(false);
  });

  it('verifies any body it signed, and no other', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (signed, other) => {
        const header = signatureHeader(secret, t, signed);
        expect(verifySignature({ secret, header, rawBody: signed, nowSeconds: t })).toBe(true);
        expect(verifySignature({ secret, header, rawBody: other, nowSeconds: t })).toBe(signed === other);
      }),
    );
  });
});

describe('deriveWebhookSecret', () => {
  const key = Buffer.alloc(32, 7);

  it('is whsec_ and 32 bytes of base64url, the same every time for one app and different across apps', () => {
    const secretOfA = deriveWebhookSecret(key, 'APP-A');
    expect(secretOfA).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(deriveWebhookSecret(key, 'APP-A')).toBe(secretOfA);
    expect(deriveWebhookSecret(key, 'APP-B')).not.toBe(secretOfA);
    expect(deriveWebhookSecret(Buffer.alloc(32, 8), 'APP-A')).not.toBe(secretOfA);
  });

  it('is HMAC-SHA256(signing key, "webhook." + appId)', () => {
    const expected = createHmac('sha256', key).update('webhook.APP-A').digest('base64url');
    expect(deriveWebhookSecret(key, 'APP-A')).toBe(`whsec_${expected}`);
  });
});
