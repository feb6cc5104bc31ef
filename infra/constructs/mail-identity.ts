import type { RemovalPolicy } from 'aws-cdk-lib';
import { PublicHostedZone } from 'aws-cdk-lib/aws-route53';
import {
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  Identity,
  MailFromBehaviorOnMxFailure,
  type DkimRecord,
  type IConfigurationSet,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

/**
 * Where mail is sent from: a domain this stack verifies (its own SES identity), with the Route 53 hosted zone of
 * that domain when CDK should write the DNS records; or the ARN of an identity verified elsewhere.
 */
export type SenderIdentity = { domain: string; hostedZoneId?: string } | { arn: string };

export interface MailIdentityProps {
  identity: SenderIdentity;
  /** prod keeps a created identity (RETAIN): a new one has new DKIM tokens, so DNS would have to change. */
  removalPolicy: RemovalPolicy;
  /** Made the created identity's default, so a send that names no configuration set still gets its suppression. */
  configurationSet: IConfigurationSet;
}

/**
 * The SES identity mail is sent from. A created one signs with Easy DKIM (2048-bit): with a hosted zone CDK
 * writes the three DKIM CNAMEs and a custom MAIL FROM (`mail.` + domain: its MX and SPF records, so bounces
 * come back to SES under our domain and SPF aligns for DMARC); without one, the stack outputs the three CNAMEs
 * to add by hand, and MAIL FROM stays SES's own (a custom one would need two more records before it works).
 */
export class MailIdentity extends Construct {
  /** The identity's ARN: the one resource, with the configuration set, the mailer may send with. */
  readonly identityArn: string;
  /** The domain, when this stack created the identity. */
  readonly domain: string | undefined;
  /** Present when this stack created the identity. */
  readonly emailIdentity: EmailIdentity | undefined;
  /** The DKIM CNAMEs someone must add to the domain's DNS (the stack outputs them); none when CDK writes them. */
  readonly dkimRecordsToAdd: readonly DkimRecord[];

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    if ('arn' in props.identity) {
      this.identityArn = props.identity.arn;
      this.emailIdentity = undefined;
      this.dkimRecordsToAdd = [];
      this.domain = undefined;
      return;
    }
    const { domain, hostedZoneId } = props.identity;
    this.domain = domain;
    const zone =
      hostedZoneId === undefined
        ? undefined
        : PublicHostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId, zoneName: domain });
    this.emailIdentity = new EmailIdentity(this, 'Identity', {
      identity: zone ? Identity.publicHostedZone(zone) : Identity.domain(domain),
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      configurationSet: props.configurationSet,
      ...(zone
        ? {
            mailFromDomain: `mail.${domain}`,
            mailFromBehaviorOnMxFailure: MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
          }
        : {}),
    });
    this.emailIdentity.applyRemovalPolicy(props.removalPolicy);
    this.identityArn = this.emailIdentity.emailIdentityArn;
    this.dkimRecordsToAdd = zone ? [] : this.emailIdentity.dkimRecords;
  }
}
