/**
 * Tries in all, the first included, before an event is parked as a dead letter: receivers are often briefly
 * down, and five tries ride that out. The SQS queue in AWS and the local bus both read it, so they cannot drift.
 * (The delivery itself is functions/workflows/deliver-webhook.ts.)
 */
export const WEBHOOK_MAX_RECEIVE_COUNT = 5;
