import { ulid } from 'ulid';
import { sha256Hex } from '../../functions/core/signing-token.ts';
import type { App } from '../../functions/core/app.ts';
import type { AppStore } from '../../functions/store/apps.ts';
import { isConditionFailed } from '../../functions/store/errors.ts';

/** Registers the demo app's token once; a token registered by an earlier run keeps the app it had. */
export const registerDemoApp = async (appStore: AppStore, token: string): Promise<App> => {
  const app = { appId: ulid(), appName: 'Demo App' };
  try {
    await appStore.register(app, token, new Date().toISOString());
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
  }
  return (await appStore.findByTokenHash(sha256Hex(token))) ?? app;
};

interface CreatedEnvelope {
  Data: { SignRequestId: string; RequestNo: string; Signers: { SigningUrl: string }[] } | null;
  FailRules: unknown[];
}

/** Opens a fresh request through the running server, so the banner's recall call works as pasted. */
export const createSampleRequest = async (baseUrl: string, token: string) => {
  const response = await fetch(`${baseUrl}/v1/sign-requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      appToken: token,
      documentName: 'Master Services Agreement.pdf',
      signers: [
        { name: 'Asha Rao', email: 'asha@example.com' },
        { name: 'Ben Okafor', email: 'ben@example.com' },
      ],
      requestedBy: 'Mohit Bansal',
    }),
  });
  const envelope = (await response.json()) as CreatedEnvelope;
  const first = envelope.Data?.Signers[0];
  if (!envelope.Data || !first)
    throw new Error(`could not create the sample request: ${JSON.stringify(envelope.FailRules)}`);
  return {
    signRequestId: envelope.Data.SignRequestId,
    requestNo: envelope.Data.RequestNo,
    signingUrl: first.SigningUrl,
  };
};
