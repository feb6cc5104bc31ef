import type { Mail } from './mail.ts';
import type { Notifier } from './notifier.ts';

/**
 * A notifier that keeps every mail in memory, newest last, and hands each to a callback: the local mailbox
 * (infra/local/mailbox.ts) and the tests read what would have been sent, without any mail service.
 */
export class OutboxNotifier implements Notifier {
  readonly sent: (Mail & { sentAt: string })[] = [];

  constructor(private readonly onSend: (mail: Mail) => void = () => undefined) {}

  send(mail: Mail): Promise<void> {
    this.sent.push({ ...mail, sentAt: new Date().toISOString() });
    this.onSend(mail);
    return Promise.resolve();
  }
}
