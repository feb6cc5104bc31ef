import * as z from '../zod.ts';

/**
 * Tries in all before an event's mail is parked as a dead letter. Each try sends only to the recipients not yet
 * told (functions/workflows/send-mail.ts), so a try repeats nobody; a recipient that failed three times is
 * failing for a reason a fourth try will not fix, and the DLQ alarm says so. Read by the SQS queue in AWS and the
 * local bus alike.
 */
export const MAIL_MAX_RECEIVE_COUNT = 3;

/** SES's default sending rate for an account out of the sandbox; set SES_MESSAGES_PER_SECOND to the account's. */
export const DEFAULT_SES_MESSAGES_PER_SECOND = 14;

/**
 * At most this many mailer containers run at once (the SQS event source's maximum concurrency, 2 being the
 * least SQS allows), so each container may send at the account's rate divided by this.
 */
export const MAILER_MAX_CONCURRENCY = 2;

const SendRateSettings = z.object({
  SES_MESSAGES_PER_SECOND: z._default(
    z.coerce.number().check(z.positive(), z.lte(10_000)),
    DEFAULT_SES_MESSAGES_PER_SECOND,
  ),
  MAILER_MAX_CONCURRENCY: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(1000)), MAILER_MAX_CONCURRENCY),
});

/** One container's share of the account's SES send rate, read at cold start: a bad value fails the start. */
export const sendRatePerContainer = (env: Readonly<Record<string, string | undefined>>): number => {
  const parsed = SendRateSettings.safeParse(env);
  if (!parsed.success)
    throw new Error(
      'Invalid configuration: SES_MESSAGES_PER_SECOND must be a positive number, MAILER_MAX_CONCURRENCY a positive integer',
    );
  return parsed.data.SES_MESSAGES_PER_SECOND / parsed.data.MAILER_MAX_CONCURRENCY;
};
