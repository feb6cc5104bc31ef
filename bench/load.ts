import { performance } from 'node:perf_hooks';

export interface LoadResult {
  /** Completed operations per second over the whole burst. */
  throughput: number;
  /** Milliseconds of each operation, in completion order. */
  latencies: number[];
  failures: number;
  /**
   * CPU time of this process per operation, in µs, the store's share included (it runs in this process).
   * Less swayed than wall time by other work on a shared machine, since time spent descheduled is not counted.
   */
  cpuPerOp: number;
}

/**
 * A closed loop: `concurrency` workers each start the next operation as soon as their last one ends, until
 * `count` have run. Operation i gets index i, so each can act on its own pre-created request.
 */
export const closedLoop = async (
  count: number,
  concurrency: number,
  operation: (index: number) => Promise<boolean>,
): Promise<LoadResult> => {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      const ok = await operation(index);
      latencies.push(performance.now() - started);
      if (!ok) failures++;
    }
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  return { throughput: count / seconds, latencies, failures, cpuPerOp: (cpu.user + cpu.system) / count };
};

/**
 * Runs `rounds` rounds over the variants, reversing their order every other round (A B, B A, A B, ...), so
 * neither variant always runs first or last while the shared machine's load drifts.
 */
export const interleaved = async <V extends string, R>(
  variants: readonly V[],
  rounds: number,
  measure: (variant: V, round: number) => Promise<R>,
): Promise<Record<V, R[]>> => {
  const results = Object.fromEntries(variants.map((variant) => [variant, [] as R[]])) as Record<V, R[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const variant of order) results[variant].push(await measure(variant, round));
  }
  return results;
};
