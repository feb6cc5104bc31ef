import { afterAll, afterEach, expect, vi } from 'vitest';

/**
 * Every secret a test hands out (app tokens, signing secrets, webhook secrets) is registered here, and every log
 * line the functions write during the whole run is checked against all of them: a token in a log line fails
 * the file it was logged in. Log lines (Powertools JSON) are captured rather than printed, to keep the output
 * readable; anything else written passes through untouched.
 *
 * A test that reads the log lines itself takes them with `captureWrites()`, never with its own spy on
 * `stream.write`: a spy replaces the write patched below, so the lines it took would escape the check. The lint
 * refuses such a spy outside this file, and a direct spy still in place after a test fails that test.
 */
const secrets = new Set<string>();
const leaks: string[] = [];
let captured = 0;

export const registerSecret = (secret: string): void => {
  if (secret.length >= 16) secrets.add(secret);
};

/**
 * A short secret (a signer's 6-digit one-time code) is checked as a whole word only: digits of a ULID, a time or
 * a duration that happen to contain it are not it.
 */
const shortSecrets = new Map<string, RegExp>();

export const registerShortSecret = (secret: string): void => {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (secret.length > 0) shortSecrets.set(secret, new RegExp(`(?<![0-9A-Za-z])${escaped}(?![0-9A-Za-z])`));
};

const isLogLine = (text: string) => text.startsWith('{"level":');
const textOf = (chunk: string | Uint8Array) =>
  typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');

/** Records a leak for every registered secret the text holds. */
const check = (text: string) => {
  for (const secret of secrets)
    if (text.includes(secret)) leaks.push(`${secret.slice(0, 6)}… in ${text.slice(0, 120)}`);
  for (const [secret, word] of shortSecrets)
    if (word.test(text)) leaks.push(`a short secret (${secret.length} characters) in ${text.slice(0, 120)}`);
};

const streams = [process.stdout, process.stderr] as const;
type Write = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;

for (const stream of streams) {
  const write = stream.write.bind(stream) as Write;
  stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = textOf(chunk);
    if (!isLogLine(text)) return write(chunk, ...rest);
    captured++;
    check(text);
    return true;
  };
}

/** The spies captureWrites made: any other spy on a stream's write is one the guard cannot see through. */
const ownSpies = new WeakSet<object>();

/**
 * Takes everything written to stdout and stderr (Powertools writes INFO and DEBUG to the one, WARN and ERROR to
 * the other), one entry per write, until the test's mocks are restored (vi.restoreAllMocks): what a test reads
 * its log lines from. Every line is checked for secrets as the patched write checks it.
 */
export const captureWrites = (): string[] => {
  const writes: string[] = [];
  for (const stream of streams) {
    const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = textOf(chunk);
      captured++;
      check(text);
      writes.push(text);
      return true;
    });
    ownSpies.add(spy);
  }
  return writes;
};

/** The leaks recorded so far, forgotten here: for the test that proves a leak is caught. */
export const takeLeaks = (): string[] => leaks.splice(0);

afterEach(() => {
  for (const stream of streams) {
    // Read as a value, not called: a spy is installed as the stream's own property.
    const write: unknown = Object.getOwnPropertyDescriptor(stream, 'write')?.value;
    if (vi.isMockFunction(write) && !ownSpies.has(write)) {
      expect.fail('stream.write is spied on directly: take log lines with captureWrites() (test/support/log-guard.ts)');
    }
  }
});

afterAll(() => {
  expect(leaks, `log lines holding a secret (of ${captured} captured)`).toEqual([]);
});

export const capturedLogLines = (): number => captured;
