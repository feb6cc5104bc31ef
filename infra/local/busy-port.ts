/** Node's error when a port is taken: the one listen failure the person running `npm start` can fix at once. */
const isAddressInUse = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EADDRINUSE';

/**
 * Runs `listen`; when its port is taken, says in one line which setting names the port, that another
 * `npm start` probably holds it, and what to do (`advice`), then exits 1 without a stack trace: the fix is the
 * person's, not the code's. Any other failure is rethrown as it is.
 */
export const listenOrExplain = async <T>(
  listen: () => Promise<T>,
  port: number,
  setting: string,
  advice: string,
): Promise<T> => {
  try {
    return await listen();
  } catch (error) {
    if (!isAddressInUse(error)) throw error;
    console.error(`npm start: port ${port} (${setting}) is already in use, probably by another npm start. ${advice}`);
    process.exit(1);
  }
};
