import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { createLogger } from '../logger.ts';
import { SendRate } from '../notifications/send-rate.ts';
import { fromAddressOf, sesNotifier } from '../notifications/ses-notifier.ts';
import { sendRatePerContainer } from '../notifications/signer-notifier.ts';
import { NoticeStore } from '../store/notices.ts';
import { SignRequestStore } from '../store/sign-requests.ts';
import type { SignerNotifierDependencies } from '../workflows/notify-signers.ts';
import { boundedAwsClientConfig } from './aws-call-limits.ts';
import type { Environment } from './environment.ts';
import { openStore, type StoreAccess } from './store-access.ts';

/** In AWS: SES from NOTIFY_FROM_ADDRESS (checked first, so a missing sender fails the start, not each message). */
export const signerNotifierDependencies = (
  env: Environment,
  store: StoreAccess = openStore(env),
): SignerNotifierDependencies => {
  const fromAddress = fromAddressOf(env);
  const sendRate = new SendRate(sendRatePerContainer(env));
  const ses = new SESv2Client(boundedAwsClientConfig());
  return {
    signRequests: new SignRequestStore(store.documentClient, store.config.tableName),
    notices: new NoticeStore(store.documentClient, store.config.tableName),
    notifier: sesNotifier((input) => ses.send(new SendEmailCommand(input)), fromAddress),
    sendRate,
    logger: createLogger(env),
  };
};
