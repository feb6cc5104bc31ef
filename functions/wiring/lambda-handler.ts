import type { Context } from 'aws-lambda';
import { originVerified } from '../http/origin-verify.ts';
import { ORIGIN_VERIFY_ENV } from '../http/origin-verify-names.ts';
import { readEnvironment } from '../runtime/environment.ts';

type Entry = (event: never, context: Context) => Promise<unknown>;

/**
 * A function that builds itself on its first invocation; a build that fails (a missing setting, an unreadable
 * secret) fails that invocation and is tried again on the next.
 */
const onFirstCall = <H extends Entry>(build: () => Promise<H> | H): H => {
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

/**
 * The `handler` a handler file exports for Lambda, built by its factory from the environment, behind the check
 * that an API Gateway event came through CloudFront when the environment names the header's value. In Lambda
 * (AWS_LAMBDA_FUNCTION_NAME is set) it is built while the module loads, in the init phase: a missing or malformed
 * setting fails the container's start, not a request, and no caller waits for clients to be built. Anywhere
 * else (the local server, tests, the bench) importing a handler file builds nothing; its `handler` builds on
 * first call, and callers build their own functions with the file's create...(deps).
 */
export const lambdaHandler = async <H extends Entry>(build: () => Promise<H> | H): Promise<H> => {
  const env = readEnvironment();
  // Every function's one door: behind CloudFront, an HTTP API event without CloudFront's header is refused
  // before the function reads anything (http/origin-verify.ts); unset, as it is outside AWS, nothing is checked.
  const guarded = async () => originVerified(await build(), env[ORIGIN_VERIFY_ENV]);
  return env.AWS_LAMBDA_FUNCTION_NAME ? await guarded() : onFirstCall(guarded);
};
