import { describe, expect, it } from 'vitest';
import { MAX_VISIBILITY_SECONDS } from '../../functions/workflows/queue-ports.ts';
import {
  WEBHOOK_MAX_RECEIVE_COUNT,
  WEBHOOK_RETRY_SCHEDULE_SECONDS,
  webhookRetryDelaySeconds,
} from '../../functions/webhooks/deliverer.ts';

describe('the webhook retry schedule', () => {
  it('doubles from one minute up to SQS’s 12-hour limit: 1, 2, 4 … 512 minutes, then 12 hours', () => {
    expect(WEBHOOK_RETRY_SCHEDULE_SECONDS.map((seconds) => seconds / 60)).toEqual([
      1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 720,
    ]);
    for (const seconds of WEBHOOK_RETRY_SCHEDULE_SECONDS) expect(seconds).toBeLessThanOrEqual(MAX_VISIBILITY_SECONDS);
  });

  it('keeps trying for at least 24 hours before the dead-letter queue (about 29 h)', () => {
    const total = WEBHOOK_RETRY_SCHEDULE_SECONDS.reduce((sum, seconds) => sum + seconds, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3600);
    expect(total / 3600).toBeCloseTo(29.05, 2);
    expect(WEBHOOK_RETRY_SCHEDULE_SECONDS).toHaveLength(WEBHOOK_MAX_RECEIVE_COUNT - 1);
  });

  it('holds nothing back after the last try, so SQS dead-letters it on the next receive', () => {
    expect(webhookRetryDelaySeconds(WEBHOOK_MAX_RECEIVE_COUNT)).toBe(0);
  });
});
