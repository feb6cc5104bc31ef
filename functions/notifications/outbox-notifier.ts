import type { Notifier, SignerNotification } from './notifier.ts';

/**
 * The local notifier: keeps every notification in memory and hands each to a callback (npm start prints
 * them), so a developer sees what signers would be sent without any mail service.
 */
export class OutboxNotifier implements Notifier {
  readonly sent: SignerNotification[] = [];

  constructor(private readonly onSend: (notification: SignerNotification) => void = () => undefined) {}

  send(notification: SignerNotification): Promise<void> {
    this.sent.push(notification);
    this.onSend(notification);
    return Promise.resolve();
  }
}
