import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.ts';
import { MAX_USER_AGENT } from '../../functions/core/evidence.ts';
import { callerEvidence } from '../../functions/http/caller-evidence.ts';
import { ORIGIN_VERIFY_ENV } from '../../functions/http/origin-verify-names.ts';
import { buildApiGatewayEvent } from '../../infra/local/api-gateway-event.ts';

// Documentation ranges (RFC 5737, RFC 3849): a viewer, a CloudFront edge, and what a client claims to be.
const VIEWER = '203.0.113.7';
const VIEWER_V6 = '2001:db8::7';
const EDGE = '198.51.100.20';
const CLAIMED = '192.0.2.1';

/** The payload 2.0 event API Gateway hands the function: `sourceIp` is whoever connected to API Gateway. */
const eventFrom = (sourceIp: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 =>
  buildApiGatewayEvent({
    method: 'POST',
    url: '/v1/sign-requests/recall',
    headers,
    body: Buffer.alloc(0),
    route: { routeKey: 'POST /v1/sign-requests/recall', pathParameters: {} },
    requestId: 'caller-evidence-test',
    sourceIp,
  });

describe('callerEvidence without CloudFront (no origin check configured: the local server, a bare API)', () => {
  it('takes sourceIp and never reads X-Forwarded-For, which any client can send', () => {
    const event = eventFrom(VIEWER, { 'x-forwarded-for': `${CLAIMED}, ${EDGE}`, 'user-agent': 'curl/8.5.0' });
    expect(callerEvidence(event, false)).toEqual({ ip: VIEWER, userAgent: 'curl/8.5.0' });
  });

  it('records no address when sourceIp is none (a direct invocation) or not an address', () => {
    for (const sourceIp of ['', 'localhost', '1.2.3.4:80', 'fe80::1%eth0', `::${'1'.repeat(60)}`]) {
      expect(callerEvidence(eventFrom(sourceIp), false).ip, sourceIp).toBeUndefined();
    }
  });
});

describe('callerEvidence behind CloudFront (the origin check is configured, so the request came through it)', () => {
  it('takes the entry CloudFront appended, under the one API Gateway appended (sourceIp, the edge)', () => {
    expect(callerEvidence(eventFrom(EDGE, { 'x-forwarded-for': `${VIEWER}, ${EDGE}` }), true).ip).toBe(VIEWER);
    expect(callerEvidence(eventFrom(EDGE, { 'x-forwarded-for': `${VIEWER_V6},${EDGE}` }), true).ip).toBe(VIEWER_V6);
  });

  it('ignores what the viewer itself sent in X-Forwarded-For: CloudFront appends after it', () => {
    const spoofed = eventFrom(EDGE, { 'x-forwarded-for': `${CLAIMED}, 10.0.0.1, ${VIEWER}, ${EDGE}` });
    expect(callerEvidence(spoofed, true).ip).toBe(VIEWER);
    // A viewer claiming the edge's own address cannot make the claim read: only one trailing sourceIp is dropped.
    const claimingEdge = eventFrom(EDGE, { 'x-forwarded-for': `${CLAIMED}, ${EDGE}, ${VIEWER}, ${EDGE}` });
    expect(callerEvidence(claimingEdge, true).ip).toBe(VIEWER);
  });

  it('takes the last entry when API Gateway appended none (CloudFront’s is then the last)', () => {
    expect(callerEvidence(eventFrom(EDGE, { 'x-forwarded-for': `${CLAIMED}, ${VIEWER}` }), true).ip).toBe(VIEWER);
    expect(callerEvidence(eventFrom(EDGE, { 'x-forwarded-for': VIEWER }), true).ip).toBe(VIEWER);
  });

  it('records no address rather than a wrong one: no header, or CloudFront’s entry is not an address', () => {
    expect(callerEvidence(eventFrom(EDGE), true).ip).toBeUndefined();
    expect(callerEvidence(eventFrom(EDGE, { 'x-forwarded-for': `unknown, ${EDGE}` }), true).ip).toBeUndefined();
    // An empty entry where CloudFront's should be is none, never the entry before it (the viewer's own say).
    expect(callerEvidence(eventFrom(EDGE, { 'x-forwarded-for': `${VIEWER}, , ${EDGE}` }), true).ip).toBeUndefined();
    // Never the edge's address as the viewer's: a header holding only what API Gateway appended names no viewer.
    expect(callerEvidence(eventFrom(EDGE, { 'x-forwarded-for': EDGE }), true).ip).toBeUndefined();
  });
});

describe('the User-Agent', () => {
  const agentOf = (userAgent: string) =>
    callerEvidence(eventFrom(VIEWER, { 'user-agent': userAgent }), false).userAgent;

  it(`is cut to ${MAX_USER_AGENT} characters`, () => {
    const long = `Mozilla/5.0 ${'x'.repeat(2048)}`;
    const kept = agentOf(long);
    expect(kept).toHaveLength(MAX_USER_AGENT);
    expect(long.startsWith(kept!.slice(0, -1))).toBe(true);
  });

  it('loses control and format characters, so it cannot forge a line or reorder what a reader sees', () => {
    const cleaned = agentOf('Evil\r\nX-Injected: 1\u0000\u202Egnp.exe\tUA');
    expect(cleaned).toBe('Evil X-Injected: 1 gnp.exe UA');
  });

  it('is recorded as none when nothing visible was sent', () => {
    expect(agentOf('')).toBeUndefined();
    expect(agentOf('\u0001\u200B ')).toBeUndefined();
  });
});

describe('the configuration', () => {
  const base = { TABLE_NAME: 't' };
  it(`reads X-Forwarded-For only when ${ORIGIN_VERIFY_ENV} switches the origin check on`, () => {
    expect(loadConfig(base).behindCloudFront).toBe(false);
    expect(loadConfig({ ...base, [ORIGIN_VERIFY_ENV]: '' }).behindCloudFront).toBe(false);
    expect(loadConfig({ ...base, [ORIGIN_VERIFY_ENV]: 'secret-value' }).behindCloudFront).toBe(true);
  });
});
