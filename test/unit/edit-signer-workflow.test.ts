import { describe, expect, it } from 'vitest';
import { DomainError } from '../../functions/core/errors.ts';
import type { SignRequest } from '../../functions/core/sign-request.ts';
import type { SignerChangePlan } from '../../functions/core/signer-change.ts';
import { changeSigner, removeSigner } from '../../functions/workflows/edit-signer.ts';
import { MAX_CONFLICT_ATTEMPTS } from '../../functions/workflows/retry.ts';
import { FakeMailCap } from '../support/fake-mail-cap.ts';
import { FakeSignRequests } from '../support/fake-sign-requests.ts';
import { freshRequest } from '../support/requests.ts';

const NOW = '2030-06-06T10:00:00.000Z';
const EARLIER = '2030-06-06T09:00:00.000Z';
const NEW_ID = '01M8FV8KRECGNRESTKQSW6EJEZ';
const secretFor = (signRequestId: string, signerId: string) => `secret:${signRequestId}:${signerId}`;

const setup = (signers = 2, overrides: Partial<SignRequest> = {}, cap = 100) => {
  const { request } = freshRequest(signers, { updatedAt: EARLIER, ...overrides });
  const store = new FakeSignRequests(request);
  const mailCap = new FakeMailCap(cap);
  const pauses: number[] = [];
  const deps = {
    signRequests: store,
    mailCap,
    secretFor,
    clock: () => NOW,
    pause: (attempt: number) => {
      pauses.push(attempt);
      return Promise.resolve();
    },
  };
  const signerIds = Object.keys(request.signers);
  const command = (index: number, changes = { name: 'New Name' }) => ({
    signRequestId: request.id,
    signerId: signerIds[index]!,
    appId: request.appId,
    changes,
  });
  return { request, store, mailCap, pauses, deps, signerIds, command };
};

/** Another call's write that lands first: a first view, a signature, anything that moves the version. */
const viewedBy = (request: SignRequest, signerId: string): SignRequest => ({
  ...request,
  version: request.version + 1,
  updatedAt: NOW,
  signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, viewedAt: NOW } },
});
const signedBy = (request: SignRequest, signerId: string): SignRequest => ({
  ...viewedBy(request, signerId),
  status: 'PARTIALLY_SIGNED',
  signedCount: request.signedCount + 1,
  signers: { ...request.signers, [signerId]: { ...request.signers[signerId]!, status: 'SIGNED', signedAt: NOW } },
});

const refusalOf = async (act: Promise<unknown>): Promise<string> => {
  try {
    await act;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('changeSigner', () => {
  it('lands one write on the version read, counts one invitation and keeps it', async () => {
    const { request, store, mailCap, deps, command } = setup();
    const changed = await changeSigner(deps, command(1), NEW_ID);
    expect(changed.signerId).toBe(NEW_ID);
    expect(changed.request.signers[NEW_ID]?.name).toBe('New Name');
    expect(changed.request.version).toBe(request.version + 1);
    const [plan] = store.writesOf('changeSigner')[0]! as [SignerChangePlan];
    expect(plan).toMatchObject({ version: request.version, at: NOW, newSignerId: NEW_ID });
    expect(mailCap.takes).toEqual([{ appId: request.appId, count: 1, at: NOW, taken: true }]);
    expect(mailCap.givenBack).toEqual([]);
  });

  it('counts nothing for a request whose app sends the links itself', async () => {
    const { mailCap, deps, command } = setup(2, { sendInvitations: false });
    await changeSigner(deps, command(0), NEW_ID);
    expect(mailCap.takes).toEqual([]);
  });

  it('refuses past the mail cap, writing nothing', async () => {
    const { store, deps, command } = setup(2, {}, 0);
    expect(await refusalOf(changeSigner(deps, command(0), NEW_ID))).toBe('MAIL_CAP_REACHED');
    expect(store.writes).toEqual([]);
  });

  it('plans again after another change moved the version, and counts the invitation once', async () => {
    const { store, mailCap, deps, command, signerIds, pauses } = setup();
    store.beforeWrite = (current, attempt) => (attempt === 1 && current ? viewedBy(current, signerIds[0]!) : current);
    const changed = await changeSigner(deps, command(1), NEW_ID);
    expect(changed.signerId).toBe(NEW_ID);
    expect(store.writesOf('changeSigner')).toHaveLength(2);
    expect(mailCap.takes).toHaveLength(1);
    expect(mailCap.givenBack).toEqual([]);
    // The first refusal is planned again at once; only later ones pause.
    expect(pauses).toEqual([]);
  });

  it('answers SIGNER_ALREADY_ACTED when the signer’s signature landed first, and gives the invitation back', async () => {
    const { store, mailCap, deps, command, signerIds } = setup();
    store.beforeWrite = (current, attempt) => (attempt === 1 && current ? signedBy(current, signerIds[1]!) : current);
    expect(await refusalOf(changeSigner(deps, command(1), NEW_ID))).toBe('SIGNER_ALREADY_ACTED');
    expect(mailCap.givenBack).toEqual([{ appId: mailCap.takes[0]!.appId, count: 1, at: NOW }]);
  });

  it.each(['lost', 'lost-as-refusal'] as const)(
    'answers its own landed change when the answer was lost (%s), keeping the invitation',
    async (fault) => {
      const { store, mailCap, deps, command } = setup();
      store.faults = [fault];
      const changed = await changeSigner(deps, command(1), NEW_ID);
      expect(changed.signerId).toBe(NEW_ID);
      expect(store.writesOf('changeSigner')).toHaveLength(1);
      expect(mailCap.givenBack).toEqual([]);
    },
  );

  it('answers a change already made with the same fields by its signer: no write, nothing counted', async () => {
    const { store, mailCap, deps, command } = setup();
    await changeSigner(deps, command(1, { name: 'Same' }), NEW_ID);
    const again = await changeSigner(deps, command(1, { name: 'Same' }), 'ANOTHER-ID');
    expect(again.signerId).toBe(NEW_ID);
    expect(store.writesOf('changeSigner')).toHaveLength(1);
    expect(mailCap.takes).toHaveLength(1);
  });

  it('gives up after its attempts when every write loses, with SERVICE_UNAVAILABLE, the invitation given back', async () => {
    const { store, mailCap, deps, command, signerIds, pauses } = setup();
    store.beforeWrite = (current) => (current ? viewedBy(current, signerIds[0]!) : current);
    expect(await refusalOf(changeSigner(deps, command(1), NEW_ID))).toBe('SERVICE_UNAVAILABLE');
    expect(store.writesOf('changeSigner')).toHaveLength(MAX_CONFLICT_ATTEMPTS);
    expect(pauses).toEqual(Array.from({ length: MAX_CONFLICT_ATTEMPTS - 1 }, (_, index) => index + 2));
    expect(mailCap.givenBack).toHaveLength(1);
  });
});

describe('removeSigner', () => {
  it('removes in one write; a retry finds it removed and writes nothing', async () => {
    const { request, store, deps, signerIds } = setup(3);
    const command = { signRequestId: request.id, signerId: signerIds[2]!, appId: request.appId };
    const removed = await removeSigner(deps, command);
    expect(removed.signerCount).toBe(2);
    expect(removed.signers[signerIds[2]!]).toBeUndefined();
    const again = await removeSigner(deps, command);
    expect(again).toEqual(removed);
    expect(store.writesOf('removeSigner')).toHaveLength(1);
  });

  it('plans again after another change, and completes when the signature that landed first left nobody missing', async () => {
    const { request, store, deps, signerIds } = setup(2);
    store.beforeWrite = (current, attempt) => (attempt === 1 && current ? signedBy(current, signerIds[0]!) : current);
    const removed = await removeSigner(deps, {
      signRequestId: request.id,
      signerId: signerIds[1]!,
      appId: request.appId,
    });
    expect(removed.status).toBe('COMPLETED');
    expect(removed.history.map((entry) => entry.event).slice(-2)).toEqual(['SIGNER_REMOVED', 'COMPLETED']);
    expect(store.writesOf('removeSigner')).toHaveLength(2);
  });

  it('answers its own landed removal when the answer was lost', async () => {
    const { request, store, deps, signerIds } = setup(2);
    store.faults = ['lost'];
    const removed = await removeSigner(deps, {
      signRequestId: request.id,
      signerId: signerIds[1]!,
      appId: request.appId,
    });
    expect(removed.signerCount).toBe(1);
    expect(store.writesOf('removeSigner')).toHaveLength(1);
  });

  it('gives up after its attempts when every write loses', async () => {
    const { request, store, deps, signerIds } = setup(3);
    store.beforeWrite = (current) => (current ? viewedBy(current, signerIds[0]!) : current);
    const command = { signRequestId: request.id, signerId: signerIds[2]!, appId: request.appId };
    expect(await refusalOf(removeSigner(deps, command))).toBe('SERVICE_UNAVAILABLE');
    expect(store.writesOf('removeSigner')).toHaveLength(MAX_CONFLICT_ATTEMPTS);
  });
});
