import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureWrites, registerSecret, registerShortSecret, takeLeaks } from '../support/log-guard.ts';

const secret = 'esr_log-guard-test-secret-0123456789';
const logLine = `{"level":"INFO","message":"looked up ${secret}"}\n`;

afterEach(() => vi.restoreAllMocks());

describe('the log guard', () => {
  it('records a secret in a log line written with no spy in place', () => {
    registerSecret(secret);
    process.stdout.write(logLine);
    expect(takeLeaks()).toEqual([`${secret.slice(0, 6)}… in ${logLine.slice(0, 120)}`]);
  });

  it('records a secret written while a test captures the writes, on stdout and stderr alike', () => {
    registerSecret(secret);
    const writes = captureWrites();
    process.stdout.write(logLine);
    process.stderr.write(Buffer.from(`an error naming ${secret}\n`));
    process.stdout.write('{"level":"DEBUG","message":"nothing secret"}\n');
    vi.restoreAllMocks();

    // The test still reads every line it captured, and the guard saw the two that hold the secret.
    expect(writes).toEqual([logLine, `an error naming ${secret}\n`, '{"level":"DEBUG","message":"nothing secret"}\n']);
    expect(takeLeaks()).toHaveLength(2);
  });

  it('records a short secret (a one-time code) as a whole word, not as digits inside a longer token', () => {
    registerShortSecret('493027');
    const inside = '{"level":"INFO","message":"request 01K493027ABC and 1493027 took 4930270 ms"}\n';
    const alone = '{"level":"INFO","message":"code 493027 sent"}\n';
    process.stdout.write(inside);
    expect(takeLeaks()).toEqual([]);
    process.stdout.write(alone);
    expect(takeLeaks()).toEqual([`a short secret (6 characters) in ${alone.slice(0, 120)}`]);
  });
});
