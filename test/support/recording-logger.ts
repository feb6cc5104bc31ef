import { Logger } from '@aws-lambda-powertools/logger';
import { vi } from 'vitest';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  attributes: unknown;
}

/**
 * A real Powertools logger whose calls are also kept, for unit tests that check what a workflow said about what
 * it did. Each line is still written, so the log guard (log-guard.ts) checks it for secrets as it does every line.
 */
export const recordingLogger = (): { logger: Logger; lines: LoggedLine[] } => {
  const logger = new Logger({ serviceName: 'unit-test' });
  const lines: LoggedLine[] = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    const write: (...args: Parameters<Logger['info']>) => void = logger[level].bind(logger);
    vi.spyOn(logger, level).mockImplementation((...args: Parameters<Logger['info']>) => {
      lines.push({
        level,
        message: typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]),
        attributes: args[1],
      });
      write(...args);
    });
  }
  return { logger, lines };
};
