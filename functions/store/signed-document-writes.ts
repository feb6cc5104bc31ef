import { signedDocumentRule } from '../core/rules.ts';
import type { SignedDocumentRecord } from '../core/sign-request.ts';
import { append, increment, set } from './expressions.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import type { WriteResult } from './write-result.ts';

/**
 * Records the signed document on its completed request, with the history entry its SignedDocumentReady event is
 * derived from: ONE conditional UpdateItem, landing only while the request is completed and has no signed document
 * yet (core/rules.ts `signedDocumentRule`). The request's state does not change; its version does (ETag).
 */
export const recordSignedDocument = (
  table: SignRequestTable,
  signRequestId: string,
  record: SignedDocumentRecord,
): Promise<WriteResult> =>
  table.update(signRequestId, {
    rule: signedDocumentRule(record.madeAt),
    update: [
      set(['signedDocument'], record),
      set(['updatedAt'], record.madeAt),
      increment(['version']),
      append(['history'], [{ at: record.madeAt, event: 'SIGNED_DOCUMENT_READY' }]),
    ],
  });
