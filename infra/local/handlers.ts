import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCertificateHandler } from '../../functions/handlers/certificate.ts';
import { createDeclineHandler } from '../../functions/handlers/decline.ts';
import { createEditSignerHandler } from '../../functions/handlers/edit-signer.ts';
import { createDocumentHandler } from '../../functions/handlers/document.ts';
import { createInitiateHandler } from '../../functions/handlers/initiate.ts';
import { createListHandler } from '../../functions/handlers/list.ts';
import { createOpenApiHandler } from '../../functions/handlers/openapi.ts';
import { createReadHandler } from '../../functions/handlers/read.ts';
import { createRecallHandler } from '../../functions/handlers/recall.ts';
import { createResendHandler } from '../../functions/handlers/resend.ts';
import { createRemindHandler } from '../../functions/handlers/remind.ts';
import { createSignHandler } from '../../functions/handlers/sign.ts';
import { createSigningDocumentHandler } from '../../functions/handlers/signing-document.ts';
import { createSignedDocumentHandler } from '../../functions/handlers/signed-document.ts';
import { createSigningViewHandler } from '../../functions/handlers/signing-view.ts';
import { createSigningCodeHandler } from '../../functions/handlers/signing-code.ts';
import { createSigningProofHandler } from '../../functions/handlers/signing-proof.ts';
import { signerPassDependencies, type SignerPassDependencies } from '../../functions/wiring/signer-pass.ts';
import { createUploadHandler } from '../../functions/handlers/upload.ts';
import { createVerifyHandler } from '../../functions/handlers/verify.ts';
import { createVerifyPageHandler } from '../../functions/http/verify-page.ts';
import { createDocsHandler } from '../../functions/http/docs-page.ts';
import type { HttpHandler } from '../../functions/http/route.ts';
import type { HandlerName } from '../../functions/routes.ts';
import { evidenceDependencies, type EvidenceFunctionDependencies } from '../../functions/wiring/evidence.ts';
import type { HttpApiDependencies } from '../../functions/wiring/http-api.ts';
import {
  initiateDependencies,
  inlineDocumentDependencies,
  type InitiateFunctionDependencies,
  type InlineDocumentDependencies,
} from '../../functions/wiring/initiate.ts';
import { listDependencies, type ListFunctionDependencies } from '../../functions/wiring/list.ts';
import type { Environment } from '../../functions/runtime/environment.ts';
import type { Notifier } from '../../functions/notifications/notifier.ts';
import { OutboxNotifier } from '../../functions/notifications/outbox-notifier.ts';
import { signingCodeDependencies, type SigningCodeFunctionDependencies } from '../../functions/wiring/signing-code.ts';

/**
 * The very handlers Lambda runs, by the name the route table gives them, built by the same factories from one
 * set of dependencies. Typed as a record over every HandlerName, so a route without a handler here fails the
 * type-check.
 */

/** Lambda's docs function has Redoc's script inlined by esbuild (functions/handlers/docs.ts); here it is read. */
const redocScript = (): string =>
  readFileSync(createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js'), 'utf8');

/** Every function's dependencies on one base: what the local server (and the tests) build the handlers from. */
export type LocalFunctionDependencies = InitiateFunctionDependencies &
  ListFunctionDependencies &
  EvidenceFunctionDependencies &
  InlineDocumentDependencies &
  SigningCodeFunctionDependencies &
  SignerPassDependencies;

/**
 * `codeMail`: where the code route's mail goes, the local mailbox (npm start hands it its events' mailbox, the
 * tests theirs); an outbox nobody reads when none is given.
 */
export const localFunctionDependencies = async (
  env: Environment,
  base: HttpApiDependencies,
  codeMail: Notifier = new OutboxNotifier(),
): Promise<LocalFunctionDependencies> => ({
  ...(await initiateDependencies(env, base)),
  ...(await listDependencies(env, base)),
  ...evidenceDependencies(env, base),
  ...inlineDocumentDependencies(env, base),
  ...signingCodeDependencies(env, base, codeMail),
  ...signerPassDependencies(env),
});

export const createLocalHandlers = (deps: LocalFunctionDependencies): Record<HandlerName, HttpHandler> => ({
  list: createListHandler(deps),
  initiate: createInitiateHandler(deps),
  upload: createUploadHandler(deps),
  recall: createRecallHandler(deps),
  read: createReadHandler(deps),
  document: createDocumentHandler(deps),
  'signed-document': createSignedDocumentHandler(deps),
  resend: createResendHandler(deps),
  remind: createRemindHandler(deps),
  'edit-signer': createEditSignerHandler(deps),
  'signing-view': createSigningViewHandler(deps),
  'signing-document': createSigningDocumentHandler(deps),
  sign: createSignHandler(deps),
  'signing-code': createSigningCodeHandler(deps),
  decline: createDeclineHandler(deps),
  'signing-proof': createSigningProofHandler(deps),
  certificate: createCertificateHandler(deps),
  verify: createVerifyHandler(deps),
  'verify-page': createVerifyPageHandler(),
  openapi: createOpenApiHandler(),
  docs: createDocsHandler(redocScript()),
});
