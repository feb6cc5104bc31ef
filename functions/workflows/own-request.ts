import { refusals } from '../core/errors.ts';
import { isUlid } from '../core/ids.ts';
import type { SignRequest } from '../core/sign-request.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';

/**
 * The app's own request, for the routes that read one (read, its document, its certificate). Another app's request
 * is refused exactly as a missing one, so an id says nothing about requests that are not the caller's; a value
 * that is no id is refused without a store call.
 */
export const ownSignRequest = async (
  signRequests: Pick<SignRequestStore, 'get'>,
  signRequestId: string,
  appId: string,
): Promise<SignRequest> => {
  const request = isUlid(signRequestId) ? await signRequests.get(signRequestId) : undefined;
  if (!request || request.appId !== appId) throw refusals.signRequestNotFound();
  return request;
};
