/** Nearest-rank percentile of unsorted samples; NaN when there are none (printed as "-"). */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Rounds for display and for the JSON file: enough digits to compare, few enough to read. */
export const round = (value: number, digits = 2): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
