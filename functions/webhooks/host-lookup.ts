/**
 * How long a webhook host's DNS look-up may take before the delivery is given up and retried. The system
 * resolver has no timeout of its own, and a slow name server would otherwise hold the whole batch (other apps'
 * deliveries included) until the function times out. Resolvers answer in milliseconds, or within a second from
 * a cold cache; 2 s leaves the POST its own 5 s inside the function's timeout.
 */
const DNS_LOOKUP_TIMEOUT_MS = 2_000;

/** `lookup`'s answer, or a rejection once `timeoutMs` has passed without one. */
export const withinLookupTimeout = async <T>(lookup: Promise<T>, timeoutMs = DNS_LOOKUP_TIMEOUT_MS): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`DNS look-up gave no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([lookup, timedOut]);
  } finally {
    clearTimeout(timer);
  }
};
