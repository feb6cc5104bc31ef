import { handler } from '../functions/handlers/recall.ts';
import { target, type BenchContext, type Section } from './context.ts';
import { recallEvent } from './events.ts';
import { invoke, prepare } from './invoke.ts';
import { closedLoop, interleaved, type LoadResult } from './load.ts';
import { rawRecall } from './raw-recall.ts';
import { seedOpenRequests } from './seed.ts';
import { median, percentile, round } from './stats.ts';

const CONCURRENCY = 8;
const VARIANTS = ['handler', 'raw'] as const;

/**
 * Benchmark 1: what the handler (middy stack, body parsing, token cache, zod, envelope) costs on top of the one
 * conditional UpdateItem it exists to send. Both variants run on the same store, client and concurrency, in
 * alternating rounds, each operation on its own open request.
 */
export const overheadOverStore = async (ctx: BenchContext): Promise<Section> => {
  const rounds = ctx.quick ? 4 : 10;
  const perRound = ctx.quick ? 200 : 600;
  // Generous: the first few hundred calls of each path run unoptimised code (measured: ~2x the CPU per call).
  const warmup = ctx.quick ? 200 : 500;
  const total = VARIANTS.length * (rounds * perRound + warmup);
  const ids = await seedOpenRequests(ctx.client, ctx.tableName, ctx.app.appId, total);
  const take = (count: number) => ids.splice(0, count);

  const handlerOps = (count: number) => {
    const invocations = prepare(
      'esign-recall-recall',
      take(count).map((id) => recallEvent(id, ctx.app.token)),
    );
    return (i: number) => invoke(handler, invocations[i]!);
  };
  const rawOps = (count: number) => {
    const batch = take(count);
    return (i: number) => rawRecall(ctx.client, ctx.tableName, batch[i]!, ctx.app.appId);
  };

  // Warm both paths first (JIT, sockets, the app token cache), untimed.
  await closedLoop(warmup, CONCURRENCY, handlerOps(warmup));
  await closedLoop(warmup, CONCURRENCY, rawOps(warmup));

  const results = await interleaved(VARIANTS, rounds, (variant) =>
    closedLoop(perRound, CONCURRENCY, variant === 'handler' ? handlerOps(perRound) : rawOps(perRound)),
  );
  // Each round's handler/raw ratio compares two runs minutes apart at most seconds: the median of those
  // ratios cancels most of the drift a shared machine adds.
  const ratios = results.handler.map((h, i) => h.throughput / (results.raw[i]?.throughput ?? Number.NaN));
  const ratio = round(median(ratios));
  const cpuRatio = round(median(results.handler.map((h, i) => h.cpuPerOp / (results.raw[i]?.cpuPerOp ?? Number.NaN))));
  const pooled = (runs: LoadResult[]) => runs.flatMap((run) => run.latencies);
  const latencyRatio = (p: number) =>
    round(percentile(pooled(results.handler), p) / percentile(pooled(results.raw), p));
  const row = (variant: string, runs: LoadResult[]) => {
    const latencies = pooled(runs);
    return [
      variant,
      round(median(runs.map((run) => run.throughput)), 0),
      round(percentile(latencies, 50)),
      round(percentile(latencies, 99)),
      round(median(runs.map((run) => run.cpuPerOp)), 0),
      runs.reduce((sum, run) => sum + run.failures, 0),
    ];
  };
  return {
    id: 'overhead',
    title: `1. Overhead over the store: recall, in-process, concurrency ${CONCURRENCY}, ${rounds} rounds x ${perRound}`,
    columns: ['variant', 'ops/s (median)', 'p50 ms', 'p99 ms', 'CPU µs/op', 'failed'],
    rows: [
      row('handler (recall.ts)', results.handler),
      row('raw UpdateItem', results.raw),
      // Each column's ratio under it: throughput and CPU from paired rounds, latencies from the pooled samples.
      ['handler/raw', ratio, latencyRatio(50), latencyRatio(99), cpuRatio, ''],
    ],
    targets: [target('handler/raw throughput', ratio, '>=', 0.85)],
    notes: [
      'The embedded store runs in this same Node process, so both variants pay its CPU: the ratios compare whole recalls, store included.',
      'Throughput and CPU ratios are medians of per-round ratios (each handler round against the raw round next to it).',
    ],
  };
};
