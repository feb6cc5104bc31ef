import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  removalPolicy: RemovalPolicy;
  /** Optional first subscriber; AWS mails it a confirmation link before it receives anything. */
  email?: string;
}

/**
 * Where every alarm goes: an SNS topic, encrypted at rest and refusing plain-HTTP publishers. The key is our own,
 * not the AWS managed `alias/aws/sns`: CloudWatch can only publish to an encrypted topic whose key policy lets it
 * use the key, and an AWS managed key's policy cannot be changed, so alarms would fail silently.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: 'esign-recall alarm topic encryption',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(7),
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'esign-recall alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
  }
}
