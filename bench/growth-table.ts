import { DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { sharedHttpApiDependencies } from '../functions/wiring/http-api.ts';
import { handler } from '../functions/handlers/recall.ts';
import { ensureTable } from '../infra/local/embedded-store.ts';
import type { BenchContext } from './context.ts';
import { recallEvent } from './events.ts';
import { invoke, prepare } from './invoke.ts';
import { closedLoop, interleaved } from './load.ts';
import { openRequestItems, writeItems, type Item } from './seed.ts';
import { percentile } from './stats.ts';

const TABLE_REWRITE = 'benchTableRewrite';

export interface TableGrowth {
  stored: number;
  p50: number;
  failures: number;
}

/**
 * Recall p50 through the handler with `small` vs `large` requests stored. Two tables in the same store (so both
 * share its process, heap and GC); the handler's table is fixed at import, so a middleware on its client points
 * each call at the table of the round, a cost both variants pay alike. The small table keeps exactly `small`
 * requests: after each of its rounds the recalled ones are put back open (untimed), so it can give as many
 * samples as the large one, whose targets are spread evenly over all its requests.
 */
export const tableGrowth = async (
  ctx: BenchContext,
  small: number,
  large: number,
  rounds: number,
  perRound: number,
): Promise<TableGrowth[]> => {
  const admin = new DynamoDBClient({
    endpoint: ctx.endpoint,
    region: process.env.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const sizes = { small, large };
  const tables = { small: `${ctx.tableName}-small`, large: `${ctx.tableName}-large` };
  let current: string | undefined;
  ctx.client.middlewareStack.add(
    (next) => (args) => {
      const input = args.input as { TableName?: string };
      if (current && input.TableName === ctx.tableName) input.TableName = current;
      return next(args);
    },
    { step: 'initialize', name: TABLE_REWRITE },
  );
  try {
    const contents = {} as Record<'small' | 'large', { ids: string[]; items: Item[] }>;
    for (const size of ['small', 'large'] as const) {
      await ensureTable(admin, tables[size]);
      await waitUntilTableExists({ client: admin, maxWaitTime: 30 }, { TableName: tables[size] });
      // The token is cached, but a lookup after the cache's TTL must find it in whichever table is current.
      current = tables[size];
      await sharedHttpApiDependencies().appStore.register(
        { appId: ctx.app.appId, appName: 'Bench App' },
        ctx.app.token,
        new Date().toISOString(),
      );
      current = undefined;
      contents[size] = openRequestItems(ctx.app.appId, sizes[size]);
      await writeItems(ctx.client, tables[size], contents[size].items);
    }
    const step = Math.floor(large / (rounds * perRound));
    const largeTargets = Array.from({ length: rounds * perRound }, (_, i) => contents.large.ids[i * step] ?? '');
    const results = await interleaved(['small', 'large'] as const, rounds, async (size, round) => {
      const first = (round * perRound) % small;
      const ids =
        size === 'large' ? largeTargets.splice(0, perRound) : contents.small.ids.slice(first, first + perRound);
      const invocations = prepare(
        'esign-recall-recall',
        ids.map((id) => recallEvent(id, ctx.app.token)),
      );
      current = tables[size];
      const run = await closedLoop(ids.length, 1, (i) => invoke(handler, invocations[i]!));
      current = undefined;
      if (size === 'small')
        await writeItems(ctx.client, tables.small, contents.small.items.slice(first, first + perRound));
      return run;
    });
    return (['small', 'large'] as const).map((size) => ({
      stored: sizes[size],
      p50: percentile(
        results[size].flatMap((run) => run.latencies),
        50,
      ),
      failures: results[size].reduce((sum, run) => sum + run.failures, 0),
    }));
  } finally {
    current = undefined;
    ctx.client.middlewareStack.remove(TABLE_REWRITE);
    admin.destroy();
  }
};
