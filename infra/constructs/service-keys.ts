import type { RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SigningKeySettings } from '../../functions/signing-key.ts';
import { SigningKey } from './signing-key.ts';

// The names the functions read (functions/signing-key.ts), so the two sides cannot drift.
/** Where a function finds the link signing key (a Secrets Manager ARN): initiate, resend, edit-signer and the mailer read it. */
const LINK_SIGNING_KEY_ENV = SigningKeySettings.link.secretArn;
/** Where a function finds the webhook signing key (a Secrets Manager ARN): the webhook deliverer alone reads it. */
const WEBHOOK_SIGNING_KEY_ENV = SigningKeySettings.webhook.secretArn;
/** Where a function finds the list cursor key (a Secrets Manager ARN): the list function alone reads it. */
const LIST_CURSOR_KEY_ENV = SigningKeySettings.cursor.secretArn;
/** Where a function finds the signer pass key (a Secrets Manager ARN): the five signing functions alone read it. */
const SIGNER_PASS_KEY_ENV = SigningKeySettings.pass.secretArn;

export interface ServiceKeysProps {
  removalPolicy: RemovalPolicy;
}

/**
 * The service's master keys, kept apart so that no function holds a key it does not use: the internet-facing
 * initiate function derives signing links from the link key and never holds the webhook key, from which every
 * app's webhook secret is derived; the deliverer holds the webhook key and not the link key. The signing
 * functions check a link against its stored hash and hold only the pass key, which derives nothing: it signs the
 * signing page's passes (core/signer-pass.ts), so a compromised signing function can forge no signing link. The
 * list function holds only the cursor key, which derives nothing either: it signs the list's cursors. Webhooks are registered by the admin
 * command with the operator's credentials, not by a deployed function.
 */
export class ServiceKeys extends Construct {
  readonly link: SigningKey;
  readonly webhook: SigningKey;
  /** Signs list cursors only: the list function holds it and no other key. */
  readonly cursor: SigningKey;
  /** Signs the signing page's passes only: the five signing functions hold it and no other key. */
  readonly pass: SigningKey;

  constructor(scope: Construct, id: string, props: ServiceKeysProps) {
    super(scope, id);
    this.link = new SigningKey(this, 'LinkSigningKey', {
      removalPolicy: props.removalPolicy,
      derives: 'signing link secrets',
      environmentVariable: LINK_SIGNING_KEY_ENV,
      rotation:
        'No automatic rotation: the key is generated here, never leaves AWS, and is read only by the initiate, ' +
        'resend and edit-signer functions and the mailer. Rotating it invalidates no signing link already ' +
        'handed out (links are checked against stored hashes), but initiate replays inside the 24-hour idempotency window, and reminders of ' +
        'requests made before it, would carry links derived from the new key that do not open: rotate it by ' +
        'hand (put a new random value) only when no open request needs a reminder.',
    });
    this.webhook = new SigningKey(this, 'WebhookSigningKey', {
      removalPolicy: props.removalPolicy,
      derives: 'webhook secrets',
      environmentVariable: WEBHOOK_SIGNING_KEY_ENV,
      rotation:
        'No automatic rotation: the key is generated here, never leaves AWS, and is read only by the webhook ' +
        "deliverer (and the operator's admin command). Rotating it changes every app's webhook secret (derived " +
        'from it), so it is a planned, announced operation: rotate by hand (put a new random value) and re-issue ' +
        'webhook secrets with `npm run app -- webhook`.',
    });
    this.cursor = new SigningKey(this, 'ListCursorKey', {
      removalPolicy: props.removalPolicy,
      derives: 'list cursor signatures',
      environmentVariable: LIST_CURSOR_KEY_ENV,
      rotation:
        'No automatic rotation: the key is generated here, never leaves AWS, and is read only by the list ' +
        'function. Rotating it only makes the cursors handed out before it fail (400 INVALID_CURSOR), so ' +
        'callers list again from the first page; rotate it by hand (put a new random value) whenever wanted.',
    });
    this.pass = new SigningKey(this, 'SignerPassKey', {
      removalPolicy: props.removalPolicy,
      derives: 'signing page pass signatures',
      environmentVariable: SIGNER_PASS_KEY_ENV,
      rotation:
        'No automatic rotation: the key is generated here, never leaves AWS, and is read only by the signing ' +
        "page's functions. Rotating it only ends the passes handed out before it (at most 30 minutes old), so " +
        'those signers give their proof again; rotate it by hand (put a new random value) whenever wanted.',
    });
  }
}
