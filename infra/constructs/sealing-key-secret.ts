import { SecretValue, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { SealingKeySettings } from '../../functions/sealing-key-settings.ts';

/**
 * What the secret holds until the operator puts their key in: no key, so the certificate and verify functions
 * answer 503 SEALING_UNAVAILABLE and log why. Not a secret: it is the absence of one.
 */
export const SEALING_KEY_PLACEHOLDER = {
  privateKeyPem: 'REPLACE with the PEM private key (docs/deploy-and-operate.md, "The sealing key")',
  certificatePem: 'REPLACE with the PEM certificate, then any intermediates',
};

export interface SealingKeySecretProps {
  removalPolicy: RemovalPolicy;
  /**
   * The complete ARN of a secret the operator already keeps the key in (`-c sealingKeySecretArn`): used as it is,
   * never created, changed or deleted by the stack. Unset: the stack creates its own, holding the placeholder.
   */
  existingSecretArn?: string;
}

/**
 * The key and certificate the evidence PDFs are sealed with, as PEM JSON (`{"privateKeyPem", "certificatePem"}`).
 * Created here holding a placeholder, because the key is the operator's: a certificate from a CA (ideally on
 * Adobe's AATL) that no pipeline should make or see. The operator puts it in once with `aws secretsmanager
 * put-secret-value`; CloudFormation never writes the value again (the placeholder in the template does not
 * change), so a later deploy keeps it.
 */
export class SealingKeySecret extends Construct {
  readonly secret: ISecret;
  /** Whether the secret is the operator's own, imported by its ARN (the stack then owns no secret here). */
  readonly imported: boolean;

  constructor(scope: Construct, id: string, props: SealingKeySecretProps) {
    super(scope, id);
    this.imported = props.existingSecretArn !== undefined;
    if (props.existingSecretArn !== undefined) {
      this.secret = Secret.fromSecretCompleteArn(this, 'Secret', props.existingSecretArn);
      return;
    }
    const created = new Secret(this, 'Secret', {
      description:
        'esign-recall evidence sealing key: {"privateKeyPem", "certificatePem"}, put in by the operator ' +
        '(docs/deploy-and-operate.md); until then certificates and verify answer 503',
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(SEALING_KEY_PLACEHOLDER)),
      removalPolicy: props.removalPolicy,
    });
    this.secret = created;
    Validations.of(created).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'No automatic rotation: the key and its certificate come from the operator’s CA, which no Lambda can ' +
        'renew. Replace both before the certificate expires (docs/deploy-and-operate.md); files sealed before ' +
        'stay readable as valid by PDF readers, but POST /v1/verify trusts only the key in the secret now.',
    });
  }

  /** Lets a function read the key, and tells it where: the certificate, verify and the signed document maker alone. */
  grantTo(fn: LambdaFunction): void {
    fn.addEnvironment(SealingKeySettings.secretArn, this.secret.secretArn);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
    );
  }
}
