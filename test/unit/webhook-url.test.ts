import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, webhookUrlPolicyFrom } from '../../functions/webhooks/webhook-url.ts';

const inAws = { allowHttpLocalhost: false };
const local = { allowHttpLocalhost: true };

describe('checkWebhookUrl', () => {
  it('accepts https URLs to public hosts', () => {
    expect(checkWebhookUrl('https://hooks.example.com/esign?x=1', inAws)).toEqual({
      ok: true,
      url: 'https://hooks.example.com/esign?x=1',
    });
  });

  it('refuses plain http, and anything not http(s), in AWS', () => {
    for (const url of ['http://hooks.example.com/', 'http://localhost:3000/', 'ftp://example.com/', 'file:///etc/x'])
      expect(checkWebhookUrl(url, inAws)).toMatchObject({ ok: false, reason: 'the URL must use https' });
  });

  it('refuses loopback, private and link-local hosts in AWS, even over https (SSRF)', () => {
    for (const url of [
      'https://localhost/',
      'https://127.0.0.1/',
      'https://127.1.2.3:9001/',
      'https://10.0.0.5/',
      'https://172.16.0.1/',
      'https://192.168.1.1/',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/',
    ])
      expect(checkWebhookUrl(url, inAws).ok, url).toBe(false);
    expect(checkWebhookUrl('https://172.32.0.1/', inAws).ok).toBe(true);
  });

  it('accepts http only to localhost and 127.0.0.1, and only when allowed', () => {
    expect(checkWebhookUrl('http://localhost:4000/hook', local)).toEqual({
      ok: true,
      url: 'http://localhost:4000/hook',
    });
    expect(checkWebhookUrl('http://127.0.0.1:4000/hook', local).ok).toBe(true);
    expect(checkWebhookUrl('http://192.168.1.1/hook', local)).toMatchObject({
      ok: false,
      reason: 'the URL must use https (or http on localhost / 127.0.0.1)',
    });
    expect(checkWebhookUrl('http://example.com/hook', local).ok).toBe(false);
  });

  it('refuses URLs over 2048 characters, relative URLs and URLs with credentials', () => {
    const long = `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`;
    expect(checkWebhookUrl(long, inAws).ok).toBe(true);
    expect(checkWebhookUrl(`${long}a`, inAws)).toEqual({
      ok: false,
      reason: 'the URL must be at most 2048 characters',
    });
    expect(checkWebhookUrl('/hook', inAws)).toMatchObject({ ok: false, reason: 'not a valid absolute URL' });
    expect(checkWebhookUrl('https://user:pass@example.com/', inAws).ok).toBe(false);
  });
});

describe('webhookUrlPolicyFrom', () => {
  it('allows local http only for ALLOW_HTTP_WEBHOOKS=true', () => {
    expect(webhookUrlPolicyFrom({ ALLOW_HTTP_WEBHOOKS: 'true' })).toEqual(local);
    expect(webhookUrlPolicyFrom({ ALLOW_HTTP_WEBHOOKS: '1' })).toEqual(inAws);
    expect(webhookUrlPolicyFrom({})).toEqual(inAws);
  });

  it('refuses to start a function in AWS with ALLOW_HTTP_WEBHOOKS set', () => {
    expect(() => webhookUrlPolicyFrom({ ALLOW_HTTP_WEBHOOKS: 'true', AWS_LAMBDA_FUNCTION_NAME: 'deliverer' })).toThrow(
      /never set in AWS/,
    );
  });
});

describe('checkWebhookUrl: addresses found in review', () => {
  it.each([
    'https://localhost./x',
    'https://foo.localhost./',
    'https://[::127.0.0.1]/',
    'https://[fec0::1]/',
    'https://[64:ff9b::a9fe:a9fe]/',
    'https://[2001:db8::1]/',
    'https://[2002:7f00:1::]/',
    'https://192.0.0.1/',
    'https://198.18.0.1/',
    'https://224.0.0.1/',
    'https://255.255.255.255/',
    'https://2130706433/',
  ])('refuses %s', (url) => {
    expect(checkWebhookUrl(url, { allowHttpLocalhost: false }).ok).toBe(false);
  });

  it.each(['https://hooks.example.com/esign', 'https://93.184.216.34/x', 'https://[2606:4700::1111]/'])(
    'accepts the public %s',
    (url) => {
      expect(checkWebhookUrl(url, { allowHttpLocalhost: false }).ok).toBe(true);
    },
  );
});
