import type { SignRequestStore } from '../store/sign-requests.ts';

/** Per run, so one run stays well inside its timeout; the next run, minutes later, takes the rest. */
const MAX_PER_RUN = 500;
const PARALLEL_WRITES = 10;

export interface ExpiryDependencies {
  signRequests: Pick<SignRequestStore, 'dueForExpiry' | 'expire'>;
}

export interface ExpiryRun {
  due: number;
  expired: number;
}

/**
 * Closes every open request whose deadline has passed, each with the same one conditional write as a recall
 * (status EXPIRED). A request that a signature or a recall closes first is left alone: the condition refuses,
 * and there is nothing to retry.
 */
export const expireDueRequests = async (deps: ExpiryDependencies, now: string): Promise<ExpiryRun> => {
  const due = await deps.signRequests.dueForExpiry(now, MAX_PER_RUN);
  let expired = 0;
  for (let start = 0; start < due.length; start += PARALLEL_WRITES) {
    const written = await Promise.all(
      due.slice(start, start + PARALLEL_WRITES).map((id) => deps.signRequests.expire(id, now)),
    );
    expired += written.filter((write) => write.ok).length;
  }
  return { due: due.length, expired };
};
