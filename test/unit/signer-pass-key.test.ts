import { describe, expect, it } from 'vitest';
import { issueSignerPass, signerPassKind } from '../../functions/core/signer-pass.ts';
import { signerPassDependencies } from '../../functions/wiring/signer-pass.ts';

const LINK = Buffer.alloc(32, 1).toString('base64url');
const PASS = Buffer.alloc(32, 3).toString('base64url');
const NOW = '2026-01-01T00:00:00.000Z';
const request = { id: 'req-1' };
const signer = { tokenHash: 'hash-of-the-link' };

const messageOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );

describe("the signing page's pass key", () => {
  it('is its own key (SIGNER_PASS_KEY), never the link key, even when the process also holds the link key', async () => {
    const { signerPassKey } = signerPassDependencies({ LINK_SIGNING_KEY: LINK, SIGNER_PASS_KEY: PASS });
    expect(await signerPassKey()).toEqual(Buffer.from(PASS, 'base64url'));
  });

  it('cannot be come by from the link key: a signing function given only the link key has no pass key', async () => {
    const { signerPassKey } = signerPassDependencies({ LINK_SIGNING_KEY: LINK });
    expect(await messageOf(signerPassKey())).toBe(
      'Invalid configuration: set SIGNER_PASS_KEY (local) or SIGNER_PASS_KEY_SECRET_ARN (AWS)',
    );
  });

  it('is read only when first asked for, and a failed read is tried again by the next call', async () => {
    const env: Record<string, string | undefined> = {};
    // Building the dependencies reads nothing: a function without a pass to check never needs the key.
    const { signerPassKey } = signerPassDependencies(env);
    expect(await messageOf(signerPassKey())).toMatch(/^Invalid configuration: set SIGNER_PASS_KEY/);
    env.SIGNER_PASS_KEY = PASS;
    expect(await signerPassKey()).toEqual(Buffer.from(PASS, 'base64url'));
  });

  it('checks only the passes signed with it: one signed with the link key is refused', () => {
    const passKey = Buffer.from(PASS, 'base64url');
    const linkKey = Buffer.from(LINK, 'base64url');
    const pass = issueSignerPass(passKey, request, 's1', signer, 'ACCESS_CODE', NOW);
    expect(signerPassKind(passKey, pass, request, 's1', signer, NOW)).toBe('ACCESS_CODE');
    const forged = issueSignerPass(linkKey, request, 's1', signer, 'ACCESS_CODE', NOW);
    expect(signerPassKind(passKey, forged, request, 's1', signer, NOW)).toBeUndefined();
  });
});
