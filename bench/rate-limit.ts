import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { AppRate } from '../functions/core/app-rate.ts';
import { AppRateLimiter, type RateDecision } from '../functions/core/app-rate-limiter.ts';
import { createRecallHandler } from '../functions/handlers/recall.ts';
import { PartitionKeyPrefix } from '../functions/store/keys.ts';
import { AppRateStore } from '../functions/store/app-rates.ts';
import { sharedHttpApiDependencies } from '../functions/wiring/http-api.ts';
import { target, type BenchContext, type Section } from './context.ts';
import { recallEvent } from './events.ts';
import { prepare, type LambdaHandler } from './invoke.ts';
import { seedOpenRequests } from './seed.ts';
import { percentile, round } from './stats.ts';

const MIDDLEWARE = 'benchCountRateCalls';
/** A rate the back-to-back recalls stay under, so every one is admitted and the limiter's cost is all we see. */
const UNREACHED: AppRate = { ratePerSecond: 1_000, burst: 1_000 };
const LEASE_MS = 1_000;

/** The limiter switched off: every call admitted, no state, no store call. Only the bench builds one. */
const admitEverything = {
  take: (): Promise<RateDecision> =>
    Promise.resolve({ admitted: true, rate: UNREACHED, remaining: 1, resetSeconds: 0, retryAfterSeconds: 0 }),
};

/**
 * Benchmark 6: what the per-app rate limit costs a recall. The recall handler twice on the one client, with the
 * limiter (a container leasing from the app's shared bucket in the table) and without it, in alternating rounds
 * of back-to-back recalls, each on its own open request: store calls per request and latency, side by side.
 * Then a sporadic caller, one recall after each lease has expired: the case that pays a lease every call.
 */
export const rateLimitCost = async (ctx: BenchContext): Promise<Section> => {
  const deps = sharedHttpApiDependencies();
  const limiter = new AppRateLimiter(new AppRateStore(ctx.client, ctx.tableName), {
    defaults: UNREACHED,
    leaseMs: LEASE_MS,
  });
  const handlers: Record<'on' | 'off', LambdaHandler> = {
    on: createRecallHandler({ ...deps, rateLimiter: limiter }),
    off: createRecallHandler({ ...deps, rateLimiter: admitEverything }),
  };
  const rounds = ctx.quick ? 4 : 10;
  const perRound = ctx.quick ? 100 : 200;
  const sporadicCalls = ctx.quick ? 2 : 4;

  const sent = { all: 0, leases: 0 };
  ctx.client.middlewareStack.add(
    (next) => (args) => {
      sent.all++;
      const pk = (args.input as { Key?: { pk?: unknown } }).Key?.pk;
      if (typeof pk === 'string' && pk.startsWith(PartitionKeyPrefix.appRate)) sent.leases++;
      return next(args);
    },
    { step: 'initialize', name: MIDDLEWARE },
  );
  const measured = {
    on: { ms: [] as number[], calls: 0, leases: 0 },
    off: { ms: [] as number[], calls: 0, leases: 0 },
  };
  const runRound = async (variant: 'on' | 'off', ids: string[]) => {
    const invocations = prepare(
      `esign-recall-bench-${variant}`,
      ids.map((id) => recallEvent(id, ctx.app.token)),
    );
    const before = { ...sent };
    for (const { event, context } of invocations) {
      const t = performance.now();
      const { statusCode = 200 } = await handlers[variant](event, context);
      measured[variant].ms.push(performance.now() - t);
      if (statusCode !== 200) throw new Error(`recall (limiter ${variant}) answered ${statusCode}`);
    }
    measured[variant].calls += sent.all - before.all;
    measured[variant].leases += sent.leases - before.leases;
  };

  try {
    // Warm both: the token cache, and the limiter's first lease (a cold container's, counted in section 2).
    for (const variant of ['on', 'off'] as const)
      await runRound(variant, await seedOpenRequests(ctx.client, ctx.tableName, ctx.app.appId, 1));
    for (const variant of ['on', 'off'] as const) measured[variant] = { ms: [], calls: 0, leases: 0 };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const variant of order) {
        await runRound(variant, await seedOpenRequests(ctx.client, ctx.tableName, ctx.app.appId, perRound));
      }
    }
    // A caller slower than one call per lease: each call finds its lease expired and leases again.
    const sporadic = { ms: [] as number[], calls: 0, leases: 0 };
    for (let n = 0; n < sporadicCalls; n++) {
      await sleep(LEASE_MS + 100);
      const [id = ''] = await seedOpenRequests(ctx.client, ctx.tableName, ctx.app.appId, 1);
      const before = { ...sent };
      const [{ event, context }] = prepare('esign-recall-bench-on', [recallEvent(id, ctx.app.token)]) as [
        ReturnType<typeof prepare>[number],
      ];
      const t = performance.now();
      await handlers.on(event, context);
      sporadic.ms.push(performance.now() - t);
      sporadic.calls += sent.all - before.all;
      sporadic.leases += sent.leases - before.leases;
    }

    const row = (name: string, m: { ms: number[]; calls: number; leases: number }) => [
      name,
      m.ms.length,
      m.calls,
      round(m.calls / m.ms.length, 3),
      m.leases,
      round(percentile(m.ms, 50), 3),
      round(percentile(m.ms, 99), 3),
    ];
    const onPerRequest = measured.on.calls / measured.on.ms.length;
    return {
      id: 'rate-limit',
      title: '6. Per-app rate limit: its cost per recall (limiter on vs off, same run, alternating rounds)',
      columns: ['variant', 'recalls', 'store calls', 'calls/request', 'of which leases', 'p50 ms', 'p99 ms'],
      rows: [
        row('limiter off', measured.off),
        row('limiter on, back to back', measured.on),
        row(`limiter on, one call every ${(LEASE_MS + 100) / 1000} s`, sporadic),
        [
          'extra latency (on - off, p50)',
          '',
          '',
          '',
          '',
          round(percentile(measured.on.ms, 50) - percentile(measured.off.ms, 50), 3),
          '',
        ],
      ],
      targets: [target('limiter store calls per back-to-back recall', round(onPerRequest, 3), '<=', 1.05)],
      notes: [
        `The container leases chunks of the app's tokens (up to the rate × ${LEASE_MS} ms lease, half the burst at most) from its shared bucket: one conditional UpdateItem per lease, none per call that spends a token it holds.`,
        'A caller slower than one call per lease pays one lease per call (2 store calls for a recall); one at n calls a second pays about 1/n per call.',
      ],
    };
  } finally {
    ctx.client.middlewareStack.remove(MIDDLEWARE);
  }
};
