/**
 * Tries in all before a recall's notifications are parked as a dead letter: an email that failed three times
 * is failing for a reason a fourth try will not fix, and the DLQ alarm says so. Read by the SQS queue in AWS
 * and the local bus alike. (Telling the signers is functions/workflows/notify-signers.ts.)
 */
export const NOTIFICATION_MAX_RECEIVE_COUNT = 3;
