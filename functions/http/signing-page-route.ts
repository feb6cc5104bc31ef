import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DomainError } from '../core/errors.ts';
import type { SignRequest } from '../core/sign-request.ts';
import { openSigningLink } from '../core/signing.ts';
import { parseSigningToken, type SigningToken } from '../core/signing-token.ts';
import { statusOfKind } from './error-response.ts';
import { pageRoute, type FormFields, type PageResult } from './page-route.ts';
import type { PageRoute } from './route.ts';
import { renderMessagePage, renderProofPage, renderSigningPage } from './signing-page.ts';
import { refusePathParameterFields } from './validation.ts';

export interface SigningPageDependencies {
  signRequests: { get(signRequestId: string): Promise<SignRequest | undefined> };
}

/** What a page's action did: the request as it left it (read again when not given), and what to thank for. */
export interface PageAction {
  request?: SignRequest;
  outcome?: 'signed' | 'declined';
}

/** The page of a link that opens nothing: its token is malformed, unknown, or not this signer's. */
export const linkNotFound = (): PageResult => ({
  statusCode: 404,
  html: renderMessagePage('This signing link is not valid', 'Check that you opened the whole link you were sent.'),
  code: 'SIGNING_LINK_NOT_FOUND',
});

/** The page of a link the sender replaced (changed or removed its signer): 410, said plainly. */
export const linkReplaced = (): PageResult => ({
  statusCode: 410,
  html: renderMessagePage(
    'This link was replaced',
    'The sender changed or removed this signer, so this link no longer works. If you are still asked to sign, use the link in the newest e-mail you were sent.',
  ),
  code: 'SIGNING_LINK_REPLACED',
});

/** An invalid link's page, or a replaced one's: whatever else a refusal of the link is, it opens nothing. */
const linkRefused = (error: unknown): PageResult =>
  error instanceof DomainError && error.code === 'SIGNING_LINK_REPLACED' ? linkReplaced() : linkNotFound();

/** The refusals that mean the signer must (again) give their proof before anything else. */
const PROOF_REFUSALS: ReadonlySet<string> = new Set(['SIGNER_PROOF_REQUIRED', 'SIGNER_PROOF_INVALID', 'SIGNER_LOCKED']);

/**
 * The proof step in place of the page, for a refusal that asks for the signer's proof: the code form alone, with
 * why the last code did not open the link (or that the signer is locked), never anything of the request.
 */
export const proofStep = (
  request: SignRequest | undefined,
  token: SigningToken,
  refusal: DomainError,
  actionBase: string,
): PageResult | undefined => {
  const kind = request?.signers[token.signerId]?.proof?.kind;
  if (!PROOF_REFUSALS.has(refusal.code) || kind === undefined) return undefined;
  const problem = refusal.code === 'SIGNER_PROOF_REQUIRED' ? undefined : refusal.rules[0]?.Message;
  return {
    statusCode: statusOfKind(refusal.kind),
    code: refusal.code,
    html: renderProofPage({ kind, actionBase, ...(problem ? { problem } : {}) }),
    ...(refusal.retryAfterSeconds !== undefined ? { retryAfterSeconds: refusal.retryAfterSeconds } : {}),
  };
};

/** Validation messages name fields by their API names; the page names them as its labels do. */
const FIELD_LABELS: Record<string, string> = { signedName: 'Your name', reason: 'Your reason' };
const forPeople = (message: string): string =>
  message.replace(/^(signedName|reason)\b/, (field) => FIELD_LABELS[field] ?? field);

/**
 * The signer's page for a signing link, after `act` (open, sign or decline) has run the very workflow the JSON
 * route runs. A refusal of the act is shown as the request's state (recalled, declined, expired, signed) with the
 * refusal's status code; a refused form shows its messages above the form; an invalid link is a 404 page, a
 * replaced one a 410 page that says so.
 */
export const signingPageRoute = (
  deps: SigningPageDependencies,
  options: {
    /** The event is the page's request, for the caller's evidence (http/caller-evidence.ts). */
    act: (
      token: SigningToken,
      form: FormFields,
      tokenText: string,
      event: APIGatewayProxyEventV2,
    ) => Promise<PageAction>;
    /** What the act does for the signer, when it is a form's (sign, decline): a refusal then says it was not recorded. */
    attempts?: 'sign' | 'decline';
    /**
     * Makes the forms' actions relative to the URL this route serves (see SigningPageModel.actionBase), which may
     * end in a slash (`…/{token}/`): a relative action resolves one segment deeper then.
     */
    actionBase: (tokenText: string, trailingSlash: boolean) => string;
  },
): PageRoute =>
  pageRoute(async (event, form) => {
    const tokenText = event.pathParameters?.signingToken ?? '';
    const token = parseSigningToken(tokenText);
    if (!token) return linkNotFound();
    let acted: PageAction = {};
    let refusal: DomainError | undefined;
    try {
      refusePathParameterFields(form, ['signingToken']);
      acted = await options.act(token, form, tokenText, event);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind === 'unavailable') throw error;
      if (error.kind === 'not-found' || error.code === 'SIGNING_LINK_REPLACED') return linkRefused(error);
      refusal = error;
    }
    // Read outside the link check: a store that fails here is the stack's 503, not a link that "is not valid".
    const current = acted.request ?? (await deps.signRequests.get(token.signRequestId));
    const actionBase = options.actionBase(tokenText, event.rawPath.endsWith('/'));
    const asksProof = refusal && proofStep(current, token, refusal, actionBase);
    if (asksProof) return asksProof;
    let request: SignRequest;
    try {
      ({ request } = openSigningLink(current, token));
    } catch (error) {
      return linkRefused(error);
    }
    return {
      statusCode: refusal ? statusOfKind(refusal.kind) : 200,
      code: refusal?.code ?? 'OK',
      html: renderSigningPage({
        request,
        signerId: token.signerId,
        now: new Date().toISOString(),
        ...(acted.outcome ? { outcome: acted.outcome } : {}),
        ...(refusal?.kind === 'bad-request' ? { problems: refusal.rules.map((rule) => forPeople(rule.Message)) } : {}),
        ...(refusal && refusal.kind !== 'bad-request' && options.attempts ? { notRecorded: options.attempts } : {}),
        actionBase,
        typed: {
          ...(form.signedName !== undefined ? { signedName: form.signedName } : {}),
          ...(form.reason !== undefined ? { reason: form.reason } : {}),
        },
      }),
    };
  });
