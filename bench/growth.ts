import { target, type BenchContext, type Section } from './context.ts';
import { signerGrowth } from './growth-signers.ts';
import { tableGrowth } from './growth-table.ts';
import { round } from './stats.ts';

/** Benchmark 4: a recall is one keyed write, so its cost should grow neither with the item nor with the table. */
export const growth = async (ctx: BenchContext): Promise<Section> => {
  const rounds = ctx.quick ? 4 : 12;
  const perRound = ctx.quick ? 10 : 25;
  const small = 100;
  const large = ctx.quick ? 10_000 : 100_000;
  const signers = await signerGrowth(ctx, rounds, perRound);
  const tables = await tableGrowth(ctx, small, large, rounds, perRound);

  const [one] = signers;
  const fifty = signers.at(-1);
  const [few, many] = tables;
  const ratio = (a = Number.NaN, b = Number.NaN) => round(a / b);
  const signersRatio = ratio(fifty?.handlerP50, one?.handlerP50);
  const storedRatio = ratio(many?.p50, few?.p50);
  return {
    id: 'growth',
    title: `4. Growth: recall p50, concurrency 1, ${rounds} alternating rounds x ${perRound} per variant`,
    columns: ['variant', 'item KiB', 'handler p50 ms', 'raw p50 ms', 'handler ratio', 'raw ratio', 'failed'],
    rows: [
      ...signers.map((s) => [
        `${s.signers} signer${s.signers === 1 ? '' : 's'}`,
        round(s.itemBytes / 1024, 1),
        round(s.handlerP50),
        round(s.rawP50),
        ratio(s.handlerP50, one?.handlerP50),
        ratio(s.rawP50, one?.rawP50),
        s.failures,
      ]),
      ...tables.map((t) => [
        `${t.stored.toLocaleString('en')} stored requests`,
        '',
        round(t.p50),
        '',
        ratio(t.p50, few?.p50),
        '',
        t.failures,
      ]),
    ],
    targets: [
      target('recall p50, 50 signers / 1 signer', signersRatio, '<=', 1.3),
      target(`recall p50, ${large} / ${small} stored requests`, storedRatio, '<=', 1.2),
    ],
    notes: [
      "raw: the recall's UpdateItem alone (benchmark 1's baseline). When it grows as much as the handler, the growth is the store's, not the function's.",
      `The ${small}-request table is refilled (untimed) after each round, so it stays at ${small} requests.`,
    ],
  };
};
