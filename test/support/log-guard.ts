import { afterAll, expect } from 'vitest';

/**
 * Every secret a test hands out (app tokens, signing secrets, webhook secrets) is registered here, and every log
 * line the functions write during the whole run is checked against all of them: a token in a log line fails
 * the file it was logged in. Log lines (Powertools JSON) are captured rather than printed, to keep the output
 * readable; anything else written passes through untouched.
 */
const secrets = new Set<string>();
const leaks: string[] = [];
let captured = 0;

export const registerSecret = (secret: string): void => {
  if (secret.length >= 16) secrets.add(secret);
};

const isLogLine = (text: string) => text.startsWith('{"level":');

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  stream.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!isLogLine(text)) return write(chunk, ...rest);
    captured++;
    for (const secret of secrets)
      if (text.includes(secret)) leaks.push(`${secret.slice(0, 6)}… in ${text.slice(0, 120)}`);
    return true;
  };
}

afterAll(() => {
  expect(leaks, `log lines holding a secret (of ${captured} captured)`).toEqual([]);
});

export const capturedLogLines = (): number => captured;
