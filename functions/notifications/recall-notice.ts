import type { RecallRecord, SignRequest } from '../core/sign-request.ts';
import { signersInOrder, SignerStatus } from '../core/sign-request.ts';
import type { SignerNotification } from './notifier.ts';

/**
 * What a signer who had not signed is told when the request is recalled: which document, by whom, why, when,
 * and that their link no longer works. Built from the stored request, which holds only a hash of each signing
 * secret, so no link or token can end up in a notification, and none is wanted: there is nothing left to open.
 */
export const recallNotices = (request: SignRequest, recall: RecallRecord, eventId: string): SignerNotification[] =>
  signersInOrder(request)
    .filter(([, signer]) => signer.status !== SignerStatus.Signed)
    .map(([signerId, signer]) => ({
      eventId,
      signRequestId: request.id,
      signerId,
      to: { name: signer.name, email: signer.email },
      subject: `Signature request recalled: ${request.documentName}`,
      text: [
        `Hello ${signer.name},`,
        '',
        `${recall.by} recalled the request for your signature on "${request.documentName}" (${request.requestNo}) on ${new Date(recall.at).toUTCString()}.`,
        `Reason given: ${recall.reason}`,
        '',
        'Your signing link for this document no longer works, and there is nothing more for you to do.',
        'If you have questions, please contact the sender.',
      ].join('\n'),
    }));
