import { firstFailing } from '../core/guards.ts';
import { expiryRule } from '../core/rules.ts';
import { SignRequestStatus, timeAfterLastChange, type SignRequest } from '../core/sign-request.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';

/** Per run, so one run stays well inside its timeout; the next run, minutes later, takes the rest. */
const MAX_PER_RUN = 5_000;
const PARALLEL_WRITES = 10;

export interface ExpiryDependencies {
  signRequests: Pick<SignRequestStore, 'dueForExpiry' | 'expire' | 'leaveExpiryIndex'>;
  /** How many due requests one run handles at most; tests make it small. */
  maxPerRun?: number;
}

export interface ExpiryRun {
  due: number;
  expired: number;
}

type Outcome = 'expired' | 'left';

/** The refused write found this run's own expiry: an earlier attempt landed and its answer was lost. */
const isOwnExpiry = (current: SignRequest, at: string): boolean =>
  current.status === SignRequestStatus.Expired && current.updatedAt === at && current.history.at(-1)?.at === at;

/**
 * One due request: expired with the one conditional write a recall uses. Refused, the expiry's rule (core/rules.ts
 * `expiryRule`) says why on the request as it stood, and whatever kept it in the index is dealt with so the next
 * run does not meet it again: already closed, it leaves the index; changed by a writer whose clock is ahead of
 * this one, it is expired just after that change.
 */
const closeDue = async (deps: ExpiryDependencies, id: string, now: string): Promise<Outcome> => {
  let at = now;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const written = await deps.signRequests.expire(id, at);
    if (written.ok) return 'expired';
    const { current } = written;
    if (current && isOwnExpiry(current, at)) return 'expired';
    const failure = firstFailing(expiryRule(at), current)?.failure;
    if (failure === 'closed') await deps.signRequests.leaveExpiryIndex(id);
    if (failure !== 'retry' || !current) return 'left';
    at = timeAfterLastChange(current, now);
  }
  return 'left';
};

/**
 * Closes every open request whose deadline has passed, each with the same one conditional write as a recall
 * (status EXPIRED). A request that a signature or a recall closes first is left alone. The index is read a page
 * at a time from where the last page ended, so requests the run cannot close never hold back those it can.
 */
export const expireDueRequests = async (deps: ExpiryDependencies, now: string): Promise<ExpiryRun> => {
  const run: ExpiryRun = { due: 0, expired: 0 };
  const maxPerRun = deps.maxPerRun ?? MAX_PER_RUN;
  let batch: string[] = [];
  const closeBatch = async () => {
    for (const outcome of await Promise.all(batch.map((id) => closeDue(deps, id, now)))) {
      if (outcome === 'expired') run.expired++;
    }
    batch = [];
  };
  for await (const id of deps.signRequests.dueForExpiry(now)) {
    batch.push(id);
    run.due++;
    if (batch.length === PARALLEL_WRITES) await closeBatch();
    if (run.due >= maxPerRun) break;
  }
  await closeBatch();
  return run;
};
