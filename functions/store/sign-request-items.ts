import type { SignRequest } from '../core/sign-request.ts';
import { appRequestsIndexKey, expiryIndexKey, PartitionKeyPrefix, reminderIndexKey, signRequestKey } from './keys.ts';

export type Item = Record<string, unknown>;

/** The item of a request: its keys, its index keys (the expiry index only while it has a deadline) and itself. */
export const toItem = ({ id, ...request }: SignRequest): Item => ({
  ...signRequestKey(id),
  ...appRequestsIndexKey(request.appId, request.createdAt, id),
  ...(request.expiresAt ? expiryIndexKey(request.expiresAt, id) : {}),
  ...(request.nextReminderAt ? reminderIndexKey(request.nextReminderAt, id) : {}),
  ...request,
});

export const isSignRequestItem = (item: Item): boolean =>
  typeof item.pk === 'string' && item.pk.startsWith(PartitionKeyPrefix.signRequest) && item.sk === 'META';

// Items are written only by this module's store, from a SignRequest, so reading one back as a SignRequest is safe.
export const fromItem = (item: Item): SignRequest => {
  const {
    pk,
    sk: _sk,
    gsi1pk: _gsi1pk,
    gsi1sk: _gsi1sk,
    gsi2pk: _gsi2pk,
    gsi2sk: _gsi2sk,
    gsi3pk: _gsi3pk,
    gsi3sk: _gsi3sk,
    ...request
  } = item;
  return { ...request, id: String(pk).slice(PartitionKeyPrefix.signRequest.length) } as SignRequest;
};
