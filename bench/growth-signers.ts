import { handler } from '../functions/handlers/recall.ts';
import type { BenchContext } from './context.ts';
import { recallEvent } from './events.ts';
import { invoke, prepare } from './invoke.ts';
import { closedLoop, interleaved } from './load.ts';
import { rawRecall } from './raw-recall.ts';
import { openRequestItems, writeItems } from './seed.ts';
import { percentile } from './stats.ts';

export const SIGNER_COUNTS = [1, 10, 50] as const; // 50 is the most initiate accepts

export interface SignerGrowth {
  signers: number;
  /** Size of the stored item as JSON: close to what DynamoDB bills a write by (1 WCU per KB). */
  itemBytes: number;
  handlerP50: number;
  rawP50: number;
  failures: number;
}

/**
 * Recall p50 by signers per request, through the handler and as the raw UpdateItem alike: if both grow the
 * same, the growth is the store's handling of a bigger item, not the function's. Concurrency 1 (latency
 * without queueing), alternating rounds, each recall on its own open request in the run's main table.
 */
export const signerGrowth = async (ctx: BenchContext, rounds: number, perRound: number): Promise<SignerGrowth[]> => {
  const pools = new Map<string, string[]>();
  const itemBytes = new Map<number, number>();
  for (const signers of SIGNER_COUNTS) {
    for (const path of ['handler', 'raw']) {
      const { ids, items } = openRequestItems(ctx.app.appId, rounds * perRound, signers);
      await writeItems(ctx.client, ctx.tableName, items);
      pools.set(`${path} ${signers}`, ids);
      itemBytes.set(signers, Buffer.byteLength(JSON.stringify(items[0])));
    }
  }
  const results = await interleaved([...pools.keys()], rounds, (variant) => {
    const ids = pools.get(variant)?.splice(0, perRound) ?? [];
    if (variant.startsWith('raw')) {
      return closedLoop(perRound, 1, (i) => rawRecall(ctx.client, ctx.tableName, ids[i]!, ctx.app.appId));
    }
    const invocations = prepare(
      'esign-recall-recall',
      ids.map((id) => recallEvent(id, ctx.app.token)),
    );
    return closedLoop(perRound, 1, (i) => invoke(handler, invocations[i]!));
  });
  const p50 = (variant: string) =>
    percentile(
      (results[variant] ?? []).flatMap((run) => run.latencies),
      50,
    );
  const failures = (variant: string) => (results[variant] ?? []).reduce((sum, run) => sum + run.failures, 0);
  return SIGNER_COUNTS.map((signers) => ({
    signers,
    itemBytes: itemBytes.get(signers) ?? Number.NaN,
    handlerP50: p50(`handler ${signers}`),
    rawP50: p50(`raw ${signers}`),
    failures: failures(`handler ${signers}`) + failures(`raw ${signers}`),
  }));
};
