import type { MailCapStore } from '../../functions/store/mail-cap.ts';

/**
 * The daily mail cap in memory, counting as the real store does (store/mail-cap.ts): per app and UTC day, a take
 * lands only while the count stays within the cap (nothing counted otherwise), a count of 0 always lands, and a
 * give-back subtracts; a batch takes what fits. Every take, batch and give-back is recorded.
 */
export class FakeMailCap implements Pick<MailCapStore, 'take' | 'takeUpTo' | 'giveBack' | 'dailyCap'> {
  readonly counts = new Map<string, number>();
  readonly takes: { appId: string; count: number; at: string; taken: boolean }[] = [];
  readonly givenBack: { appId: string; count: number; at: string }[] = [];
  readonly batches: { appId: string; asked: number; taken: number; at: string }[] = [];

  constructor(readonly dailyCap = 100) {}

  /** What the app has counted on `at`'s UTC day. */
  used(appId: string, at: string): number {
    return this.counts.get(`${appId}/${at.slice(0, 10)}`) ?? 0;
  }

  take(appId: string, count: number, at: string): Promise<boolean> {
    const taken = count <= 0 || this.used(appId, at) + count <= this.dailyCap;
    if (taken && count > 0) this.counts.set(`${appId}/${at.slice(0, 10)}`, this.used(appId, at) + count);
    this.takes.push({ appId, count, at, taken });
    return Promise.resolve(taken);
  }

  /** As many of `count` as fit (each batch recorded: what was asked, what was taken). */
  takeUpTo(appId: string, count: number, at: string): Promise<number> {
    const taken = Math.max(0, Math.min(count, this.dailyCap - this.used(appId, at)));
    this.counts.set(`${appId}/${at.slice(0, 10)}`, this.used(appId, at) + taken);
    this.batches.push({ appId, asked: count, taken, at });
    return Promise.resolve(taken);
  }

  giveBack(appId: string, count: number, at: string): Promise<void> {
    this.givenBack.push({ appId, count, at });
    if (count > 0) this.counts.set(`${appId}/${at.slice(0, 10)}`, this.used(appId, at) - count);
    return Promise.resolve();
  }
}
