/**
 * The KAiZEN recall scenarios, then a recall guarded by If-Match (stale, then fresh), a correct-and-resend and a
 * list read two pages, through a client generated from openapi.json: types by openapi-typescript
 * (schema.d.ts, written by `npm run openapi`), calls by openapi-fetch. Every path, body field and answer below is
 * checked by the compiler against the API's own document.
 *
 *   npx tsx docs/examples/client/recall-scenarios.ts http://localhost:3000 <appToken printed by npm start>
 *
 * test/integration/typed-client.test.ts runs it against the real local server.
 */
import createClient from 'openapi-fetch';
import type { paths } from './schema.d.ts';

// JSON only: the signing routes also answer HTML (the signer's page), to browsers that ask for it.
export type EsignClient = ReturnType<typeof createClient<paths, 'application/json'>>;

export const esignClient = (baseUrl: string): EsignClient => createClient<paths, 'application/json'>({ baseUrl });

/** A signer's link ends with their signing token: the path parameter of the signing routes. */
const signingTokenOf = (signingUrl: string): string =>
  new URL(signingUrl, 'http://link').pathname.split('/').at(-1) ?? '';

export const recallScenarios = async (client: EsignClient, appToken: string) => {
  // Initiate: 201 with one signing link per signer.
  const initiated = await client.POST('/v1/sign-requests', {
    body: {
      appToken,
      documentName: 'Master Services Agreement.pdf',
      signers: [
        { name: 'Asha Rao', email: 'asha@example.com' },
        { name: 'Ben Okafor', email: 'ben@example.com' },
      ],
      requestedBy: 'Mohit Bansal',
    },
  });
  if (!initiated.data) throw new Error(`initiate refused: ${JSON.stringify(initiated.error)}`);
  const { SignRequestId: signRequestId, Signers } = initiated.data.Data;

  // Read it back with the token as a Bearer header; its ETag names the version read.
  const authorization = { Authorization: `Bearer ${appToken}` };
  const readNow = () =>
    client.GET('/v1/sign-requests/{signRequestId}', { params: { path: { signRequestId } }, headers: authorization });
  const read = await readNow();
  const etagRead = read.response.headers.get('etag') ?? '';

  // The first signer signs: the request is then partially signed, and can still be recalled.
  const signed = await client.POST('/v1/signing/{signingToken}/sign', {
    params: { path: { signingToken: signingTokenOf(Signers[0]?.SigningUrl ?? '') } },
    body: { signedName: 'Asha Rao' },
  });

  const recallBody = { signRequestId, appToken, recallReason: 'Request raised mistakenly', recalledBy: 'Mohit Bansal' };
  // A recall guarded by the ETag read before that signature: the request has changed since, so 412, no change.
  const staleRecall = await client.POST('/v1/sign-requests/recall', {
    params: { header: { 'If-Match': etagRead } },
    body: recallBody,
  });
  // Scenario 1: an open request is recalled (guarded by a fresh ETag): Data is true.
  const etagNow = (await readNow()).response.headers.get('etag') ?? '';
  const recalled = await client.POST('/v1/sign-requests/recall', {
    params: { header: { 'If-Match': etagNow } },
    body: recallBody,
  });
  // Again: "This request is already cancelled".
  const recalledAgain = await client.POST('/v1/sign-requests/recall', { body: recallBody });
  // Scenario 3: "Invalid App Token".
  const badToken = await client.POST('/v1/sign-requests/recall', {
    body: { ...recallBody, appToken: 'esr_not-a-token' },
  });
  // Scenario 4: "No sign request found".
  const unknownId = await client.POST('/v1/sign-requests/recall', {
    body: { ...recallBody, signRequestId: '01HV6MEARQD3X8ZXXX5FR3YDB8' },
  });

  // Correct and resend the recalled request: a new request, with a new name for the document.
  const resent = await client.POST('/v1/sign-requests/{signRequestId}/resend', {
    params: { path: { signRequestId } },
    headers: authorization,
    body: { documentName: 'Master Services Agreement v2.pdf' },
  });

  // List the app's requests, one a page: the replacement first (newest), then the recalled one on the next page.
  const firstPage = await client.GET('/v1/sign-requests', { params: { query: { limit: 1 } }, headers: authorization });
  const secondPage = await client.GET('/v1/sign-requests', {
    params: { query: { limit: 1, cursor: firstPage.data?.Data.NextCursor ?? '' } },
    headers: authorization,
  });
  const pageOf = (page: typeof firstPage) => ({
    status: page.response.status,
    items: page.data?.Data.Items.map((item) => ({ id: item.SignRequestId, status: item.Status })),
    hasNext: page.data?.Data.NextCursor !== null,
  });

  return {
    initiated: { status: initiated.response.status, requestNo: initiated.data.Data.RequestNo, signRequestId },
    read: { status: read.response.status, signRequestStatus: read.data?.Data.Status, etag: etagRead },
    staleRecall: { status: staleRecall.response.status, failRules: staleRecall.error?.FailRules },
    signed: { status: signed.response.status, signRequestStatus: signed.data?.Data.Status },
    recalled: { status: recalled.response.status, data: recalled.data?.Data },
    recalledAgain: { status: recalledAgain.response.status, failRules: recalledAgain.error?.FailRules },
    badToken: { status: badToken.response.status, failRules: badToken.error?.FailRules },
    unknownId: { status: unknownId.response.status, failRules: unknownId.error?.FailRules },
    resent: {
      status: resent.response.status,
      replaces: resent.data?.Data.ReplacesSignRequestId,
      signRequestId: resent.data?.Data.SignRequestId,
    },
    listed: [pageOf(firstPage), pageOf(secondPage)],
  };
};

// Run as a script: print what each scenario answered.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [baseUrl = 'http://localhost:3000', appToken = ''] = process.argv.slice(2);
  console.log(JSON.stringify(await recallScenarios(esignClient(baseUrl), appToken), null, 2));
}
