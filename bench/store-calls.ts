import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ulid } from 'ulid';
import { sharedHttpApiDependencies } from '../functions/wiring/http-api.ts';
import { handler as initiate } from '../functions/handlers/initiate.ts';
import { handler as read } from '../functions/handlers/read.ts';
import { handler as recall } from '../functions/handlers/recall.ts';
import { handler as sign } from '../functions/handlers/sign.ts';
import { localLambdaContext } from '../infra/local/lambda-context.ts';
import { target, type BenchContext, type Section } from './context.ts';
import { apiGatewayEvent, recallEvent } from './events.ts';
import type { LambdaHandler } from './invoke.ts';
import { seedOpenRequests, signersNamed } from './seed.ts';

const MIDDLEWARE = 'benchCountStoreCalls';

interface Created {
  Data: { SignRequestId: string; Signers: { SigningUrl: string }[] };
}

/**
 * Benchmark 2: the DynamoDB calls each operation makes, counted by a middleware on the functions' own client
 * (as test/integration/store-calls.test.ts does). Calls, not latency: in AWS each one is a network round trip
 * and a billed request, whatever the embedded store makes of it.
 */
export const storeCallsPerOperation = async (ctx: BenchContext): Promise<Section> => {
  const sent: string[] = [];
  ctx.client.middlewareStack.add(
    (next, context) => (args) => {
      sent.push(context.commandName?.replace(/Command$/, '') ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: MIDDLEWARE },
  );
  const callsOf = async (name: string, handler: LambdaHandler, event: APIGatewayProxyEventV2) => {
    sent.length = 0;
    const result = await handler(event, localLambdaContext(`esign-recall-${name}`));
    if ((result.statusCode ?? 200) >= 500) throw new Error(`${name} answered ${result.statusCode}: ${result.body}`);
    return { status: result.statusCode ?? 200, body: result.body ?? '', calls: [...sent] };
  };
  const initiateEvent = (token: string) =>
    apiGatewayEvent('POST', '/v1/sign-requests', '/v1/sign-requests', {
      body: { appToken: token, documentName: 'Contract.pdf', signers: signersNamed(2) },
    });

  try {
    await callsOf('initiate', initiate, initiateEvent(ctx.app.token)); // the token is warm from here on
    const created = await callsOf('initiate', initiate, initiateEvent(ctx.app.token));
    const { SignRequestId: id, Signers } = (JSON.parse(created.body) as Created).Data;
    const signingToken = new URL(Signers[0]?.SigningUrl ?? '').pathname.split('/').at(-1) ?? '';
    const readCall = await callsOf(
      'read',
      read,
      apiGatewayEvent('GET', '/v1/sign-requests/{signRequestId}', `/v1/sign-requests/${id}`, {
        headers: { authorization: `Bearer ${ctx.app.token}` },
        pathParameters: { signRequestId: id },
      }),
    );
    const signCall = await callsOf(
      'sign',
      sign,
      apiGatewayEvent('POST', '/v1/signing/{signingToken}/sign', `/v1/signing/${signingToken}/sign`, {
        body: { signedName: 'Signer 1' },
        pathParameters: { signingToken },
      }),
    );
    const warmRecall = await callsOf('recall', recall, recallEvent(id, ctx.app.token));
    const refusedRecall = await callsOf('recall', recall, recallEvent(id, ctx.app.token));

    // A token this container has not looked up yet: the one GetItem the cache saves every warm call.
    const cold = { appId: ulid(), appName: 'Bench Cold App' };
    const coldToken = `esr_${randomBytes(24).toString('base64url')}`;
    await sharedHttpApiDependencies().appStore.register(cold, coldToken, new Date().toISOString());
    const [coldId = ''] = await seedOpenRequests(ctx.client, ctx.tableName, cold.appId, 1);
    const coldRecall = await callsOf('recall', recall, recallEvent(coldId, coldToken));

    // Informational: what an Idempotency-Key costs a recall (first call, then its retry).
    const [keyedId = ''] = await seedOpenRequests(ctx.client, ctx.tableName, ctx.app.appId, 1);
    const keyed = { ...recallEvent(keyedId, ctx.app.token) };
    keyed.headers = { ...keyed.headers, 'idempotency-key': `bench-${keyedId}` };
    const keyedRecall = await callsOf('recall', recall, keyed);
    const keyedRetry = await callsOf('recall', recall, keyed);

    const row = (operation: string, call: { status: number; calls: string[] }, expected: string) => [
      operation,
      call.status,
      call.calls.length,
      call.calls.join(' + ') || '(none)',
      expected,
    ];
    return {
      id: 'store-calls',
      title: '2. Store calls per operation (warm container unless noted)',
      columns: ['operation', 'HTTP', 'calls', 'DynamoDB operations', 'expected'],
      rows: [
        row('recall (warm)', warmRecall, '1'),
        row('initiate', created, '3: mail cap (its invitations), number, create'),
        row('read', readCall, '1'),
        row('sign', signCall, '2: read, conditional write'),
        row('recall, refused (already cancelled)', refusedRecall, '2: write, classifying read'),
        row('recall, token not yet cached', coldRecall, '3: token lookup, rate lease, write'),
        row('recall with Idempotency-Key', keyedRecall, '(informational)'),
        row('  the same, retried', keyedRetry, '(informational)'),
      ],
      targets: [target('warm recall store calls', warmRecall.calls.length, '==', 1)],
      notes: [
        'The app token cache keeps a looked-up token for APP_TOKEN_CACHE_TTL_SECONDS (default 60 s), so one warm recall in a minute pays the lookup again.',
        "An app's first call in a container also leases a chunk of its rate tokens (section 6): the later calls spend them with no store call.",
        'The refused recall reads the item because the embedded store (dynalite) does not return it with the failed condition; DynamoDB does, which makes it 1 call in AWS.',
      ],
    };
  } finally {
    ctx.client.middlewareStack.remove(MIDDLEWARE);
  }
};
