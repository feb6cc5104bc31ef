import { resendClaimRule } from '../core/rules.ts';
import type { ExpectedVersions, ResendRecord } from '../core/sign-request.ts';
import { increment, set } from './expressions.ts';
import type { SignRequestTable } from './sign-request-table.ts';
import type { WriteResult } from './write-result.ts';

/**
 * Claims the resend of an app's own request, once: one conditional write that records the replacement (its id,
 * number and content, see core/resend.ts) on the request resent, while it is resendable and not resent yet
 * (core/rules.ts `resendClaimRule`). The replacement is created after it, by `create`; the claim is what makes a
 * resend happen at most once, whoever calls and whatever fails.
 */
export const claimResend = (
  table: SignRequestTable,
  id: string,
  appId: string,
  record: ResendRecord,
  expectedVersions?: ExpectedVersions,
): Promise<WriteResult> =>
  table.update(id, {
    rule: resendClaimRule({ appId, at: record.at, expectedVersions }),
    update: [set(['resend'], record), increment(['version'])],
  });
