import { describe, expect, it } from 'vitest';
import { conflictPauseMs } from '../../functions/workflows/retry.ts';

describe('conflictPauseMs', () => {
  it('draws the pause after the n-th refusal under 10 ms × n, in proportion to the draw', () => {
    expect(conflictPauseMs(1, () => 0)).toBe(0);
    expect(conflictPauseMs(3, () => 0.5)).toBe(15);
    expect(conflictPauseMs(4, () => 0.25)).toBe(10);
    // Math.random's largest draw stays under the bound.
    expect(conflictPauseMs(7, () => 0.9999)).toBeLessThan(70);
    expect(conflictPauseMs(7, () => 0.9999)).toBeGreaterThan(69.9);
  });

  it('draws from Math.random when given no source', () => {
    for (let attempt = 1; attempt <= 8; attempt++) {
      const pause = conflictPauseMs(attempt);
      expect(pause).toBeGreaterThanOrEqual(0);
      expect(pause).toBeLessThan(10 * attempt);
    }
  });
});
