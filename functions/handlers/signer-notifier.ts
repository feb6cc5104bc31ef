import { domainEventQueueHandler, type DomainEventQueueHandler } from '../consumers/domain-event-queue.ts';
import { readEnvironment } from '../wiring/environment.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { signerNotifierDependencies } from '../wiring/signer-notifier.ts';
import { notifySignersOfRecall, type SignerNotifierDependencies } from '../workflows/notify-signers.ts';

/** (primary adapter) SQS (filled by an EventBridge rule with SignRequestRecalled events) -> the signers told. */
export const createSignerNotifier = (deps: SignerNotifierDependencies): DomainEventQueueHandler =>
  domainEventQueueHandler((event, context) => notifySignersOfRecall(deps, event, context), deps.logger);

export const handler = await lambdaHandler(() => createSignerNotifier(signerNotifierDependencies(readEnvironment())));
