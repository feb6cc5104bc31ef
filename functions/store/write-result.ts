import type { SignRequest } from '../core/sign-request.ts';

/**
 * What one conditional write of a sign request did, the one shape every such write answers in. Either it landed
 * (with whatever the write reports back), or its condition refused it and `current` is the request as it stood
 * then (undefined when there is none): the old item DynamoDB returns with the failure
 * (ReturnValuesOnConditionCheckFailure), or, from a store that returns none (the embedded one), one consistent
 * read. The store makes one attempt and never decides what a refusal means: the workflow does.
 */
export type WriteResult<Landed extends object = object> =
  ({ ok: true } & Landed) | { ok: false; current: SignRequest | undefined };
