import type { Context } from 'aws-lambda';

/**
 * A Lambda entry whose function is built on its first invocation, from the environment Lambda gives it: importing
 * a handler file builds nothing, so the local server and the tests can import it and build their own. A build
 * that fails (a missing setting, an unreadable secret) fails that invocation and is tried again on the next.
 */
export const onFirstCall = <H extends (event: never, context: Context) => Promise<unknown>>(
  build: () => Promise<H> | H,
): H => {
  let built: Promise<H> | undefined;
  const entry = async (event: Parameters<H>[0], context: Context) => {
    built ??= Promise.resolve()
      .then(build)
      .catch((error: unknown) => {
        built = undefined;
        throw error;
      });
    return (await built)(event, context);
  };
  // The entry passes its arguments through unchanged, so it is called exactly as the built function is.
  return entry as unknown as H;
};
