import { EMAIL_CODE_VALID_MS } from '../core/email-code-limits.ts';
import { newId } from '../core/ids.ts';
import type { SignRequest } from '../core/sign-request.ts';
import { shown } from '../core/visible-text.ts';
import type { Mail } from './mail.ts';
import { renderHtml, renderText, subjectWith, type Block } from './mail-layout.ts';

/**
 * The one-time code mail (Kind SIGNING_CODE), to the signer alone: sent by POST <link>/code itself, never from an
 * event, so the code is in no event, queue or record but this mail. It holds no link: whoever reads it already has
 * the page open. Its id is its own (no event asks for it); the code is six digits of ours, never user data.
 */
export const signingCodeMail = (request: SignRequest, signerId: string, code: string): Mail => {
  const signer = request.signers[signerId];
  if (!signer) throw new Error('a signing code mail names a signer of the request');
  const subject = subjectWith('Your code to sign', shown(request.documentName, 'a document'));
  const name = shown(signer.name, '');
  const blocks: Block[] = [
    { line: name ? ['Hello ', { name }, ','] : ['Hello,'] },
    {
      line: ['Your code to open ', { data: shown(request.documentName, 'a document') }, ` (${request.requestNo}) is:`],
    },
    { line: [code] },
    { line: [`It is good for ${EMAIL_CODE_VALID_MS / 60_000} minutes, and only until another code is sent.`] },
    { note: ['If you did not ask for this code, someone may have your signing link: do not share the code.'] },
  ];
  return {
    kind: 'SIGNING_CODE',
    eventId: newId(),
    signRequestId: request.id,
    appId: request.appId,
    signerId,
    to: { name, email: signer.email },
    subject,
    text: renderText(blocks),
    html: renderHtml(subject, blocks),
  };
};
