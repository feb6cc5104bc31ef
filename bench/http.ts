import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { createLocalHttpServer } from '../infra/local/http-server.ts';
import { readEnvironment } from '../functions/runtime/environment.ts';
import { sharedHttpApiDependencies } from '../functions/wiring/http-api.ts';
import { createLocalHandlers, localFunctionDependencies } from '../infra/local/handlers.ts';
import { target, type BenchContext, type Section } from './context.ts';
import { RECALL_REASON } from './events.ts';
import { interleaved } from './load.ts';
import { seedOpenRequests } from './seed.ts';
import { median, round } from './stats.ts';

const CONNECTIONS = [1, 8, 32] as const;

const toError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

interface HttpRound {
  throughput: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/**
 * One autocannon burst of `amount` recalls, each of a distinct open request: setupRequest hands every request
 * the next id from the pool. autocannon may prepare a request per connection it never sends, hence the slack
 * in the pool; if the pool ever ran dry the repeated id would answer 409 and show up as non-2xx.
 */
const burst = async (url: string, token: string, ids: string[], connections: number, amount: number) => {
  let next = 0;
  let responses = 0;
  let lastResponse = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        amount,
        requests: [
          {
            method: 'POST',
            path: '/v1/sign-requests/recall',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                signRequestId: ids[Math.min(next++, ids.length - 1)],
                appToken: token,
                ...RECALL_REASON,
              }),
            }),
          },
        ],
      },
      (error: unknown, done: autocannon.Result) => (error ? reject(toError(error)) : resolve(done)),
    );
    instance.on('response', () => {
      responses++;
      lastResponse = performance.now();
    });
  });
  return {
    // Not result.duration: with `amount`, autocannon reports only at its next 1 s sample tick, so its duration
    // overstates a short burst by up to a second. The last response ends the burst.
    throughput: responses / ((lastResponse - started) / 1000),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  } satisfies HttpRound;
};

/**
 * Benchmark 3: recalls over real HTTP through the local server (the API Gateway stand-in around the very
 * handlers Lambda runs), driven by autocannon at 1, 8 and 32 connections in alternating rounds.
 */
export const overHttp = async (ctx: BenchContext): Promise<Section> => {
  const rounds = ctx.quick ? 2 : 5;
  const amount = ctx.quick ? 150 : 500;
  const slack = Math.max(...CONNECTIONS) * 2;
  const pool = await seedOpenRequests(
    ctx.client,
    ctx.tableName,
    ctx.app.appId,
    CONNECTIONS.length * rounds * (amount + slack) + amount + slack,
  );
  const take = () => pool.splice(0, amount + slack);
  const server = createLocalHttpServer(
    createLocalHandlers(await localFunctionDependencies(readEnvironment(), sharedHttpApiDependencies())),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await burst(url, ctx.app.token, take(), 8, amount); // warm-up: JIT, keep-alive sockets
    const variants = CONNECTIONS.map(String);
    const results = await interleaved(variants, rounds, (variant) =>
      burst(url, ctx.app.token, take(), Number(variant), amount),
    );
    const rows = variants.map((variant) => {
      const runs = results[variant] ?? [];
      return [
        Number(variant),
        round(median(runs.map((run) => run.throughput)), 0),
        round(median(runs.map((run) => run.p50))),
        round(median(runs.map((run) => run.p99))),
        runs.reduce((sum, run) => sum + run.non2xx, 0),
        runs.reduce((sum, run) => sum + run.errors, 0),
      ];
    });
    const non2xx = rows.reduce((sum, row) => sum + Number(row[4]) + Number(row[5]), 0);
    return {
      id: 'http',
      title: `3. Over HTTP: recall through the local server, autocannon, ${rounds} rounds x ${amount} per level`,
      columns: ['connections', 'req/s (median)', 'p50 ms', 'p99 ms (median)', 'non-2xx', 'errors'],
      rows,
      targets: [target('non-2xx + errors over HTTP', non2xx, '==', 0)],
      notes: [
        'autocannon, the server and the store share one Node process, as the in-process benchmarks do.',
        'autocannon records latency in whole milliseconds; req/s counts from the first request to the last response.',
      ],
    };
  } finally {
    server.closeAllConnections();
    server.close();
  }
};
