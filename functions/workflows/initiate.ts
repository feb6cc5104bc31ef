import { isDeepStrictEqual } from 'node:util';
import { newSignRequest, type InitiateCommand, type SecretFor } from '../core/initiate.ts';
import { formatRequestNo } from '../core/request-no.ts';
import type { SignRequest } from '../core/sign-request.ts';
import type { AppStore } from '../store/apps.ts';
import type { SignRequestStore } from '../store/sign-requests.ts';
import { systemClock, type Clock } from './clock.ts';

export interface InitiateDependencies {
  appStore: Pick<AppStore, 'nextRequestNumber'>;
  signRequests: Pick<SignRequestStore, 'create'>;
  requestNoPrefix: string;
  secretFor: SecretFor;
  clock?: Clock;
}

const isSameRequest = (stored: SignRequest | undefined, request: SignRequest): boolean =>
  stored !== undefined && isDeepStrictEqual(stored, request);

/** Numbers the request in the app's sequence, then creates it as one item that can never be overwritten. */
export const initiateSignRequest = async (
  deps: InitiateDependencies,
  command: InitiateCommand,
): Promise<SignRequest> => {
  const n = await deps.appStore.nextRequestNumber(command.appId);
  const now = (deps.clock ?? systemClock)();
  const request = newSignRequest(command, formatRequestNo(deps.requestNoPrefix, n), now, deps.secretFor);
  const created = await deps.signRequests.create(request);
  // Its id is a ULID drawn a moment ago: an item under it already is this call's own create, whose answer was
  // lost and whose retry the store refused. Anything else under it is a fault to report, not a refusal to give.
  if (!created.ok && !isSameRequest(created.current, request)) {
    throw new Error(`a sign request with the new id ${request.id} exists already`);
  }
  return request;
};
