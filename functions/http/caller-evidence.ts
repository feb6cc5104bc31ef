import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { MAX_USER_AGENT, type Evidence } from '../core/evidence.ts';
import { capped, cleanLine } from '../core/visible-text.ts';

/** The longest textual IPv6 address (with an embedded IPv4 one): `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`. */
const MAX_ADDRESS = 45;

/**
 * An IPv4 or IPv6 address as written, or undefined: nothing else is ever recorded as an address. isIP also takes
 * an IPv6 zone (`fe80::1%eth0`, of any length), which names an interface of the machine that saw the address and
 * means nothing to anyone else: refused, which also bounds the length.
 */
const address = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= MAX_ADDRESS && !trimmed.includes('%') && isIP(trimmed) !== 0
    ? trimmed
    : undefined;
};

/**
 * The viewer's address behind CloudFront. CloudFront appends the address of the viewer that connected to it as
 * the last entry of `X-Forwarded-For` (keeping whatever the viewer sent before it), and API Gateway appends the
 * address that connected to it, CloudFront's, which is also `sourceIp`. So the entry CloudFront wrote is the last
 * one once API Gateway's is taken off; everything before it is the viewer's own say and never read. Only one
 * trailing `sourceIp` is taken off, so a viewer who sends an address of CloudFront's own cannot shift the entry
 * read. Not a valid address: none is recorded.
 */
const viewerBehindCloudFront = (event: APIGatewayProxyEventV2): string | undefined => {
  const header = event.headers['x-forwarded-for'];
  if (header === undefined) return undefined;
  const entries = header.split(',').map((entry) => entry.trim());
  if (entries.at(-1) === event.requestContext.http.sourceIp) entries.pop();
  return address(entries.at(-1));
};

/**
 * Where this request came from, for the history entry of the act it makes (core/evidence.ts). The address is
 * API Gateway's `sourceIp` (the local server's socket), unless the request provably came through CloudFront
 * (`behindCloudFront`: the function checks CloudFront's origin header, http/origin-verify.ts), when `sourceIp` is CloudFront's edge
 * and the viewer's address is the entry CloudFront appended to `X-Forwarded-For`. A client's own
 * `X-Forwarded-For` is never believed: without CloudFront it is not read at all, behind it only the entry
 * CloudFront wrote is. The User-Agent is cleaned of control and format characters and cut to MAX_USER_AGENT.
 * A direct invocation carries neither (http/direct-invocation.ts), so none is recorded.
 */
export const callerEvidence = (event: APIGatewayProxyEventV2, behindCloudFront: boolean): Evidence => {
  const ip = behindCloudFront ? viewerBehindCloudFront(event) : address(event.requestContext.http.sourceIp);
  const userAgent = capped(cleanLine(event.requestContext.http.userAgent ?? ''), MAX_USER_AGENT);
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
};
