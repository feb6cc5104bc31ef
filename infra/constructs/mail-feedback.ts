import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
  type IConfigurationSet,
} from 'aws-cdk-lib/aws-ses';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface MailFeedbackProps {
  configurationSet: IConfigurationSet;
  alarmTopic: ITopic;
  removalPolicy: RemovalPolicy;
}

/**
 * The account's reputation, as SES reviews it: at a bounce rate of 5% or a complaint rate of 0.1% SES puts the
 * account under review (and may pause its sending at 10% and 0.5%). Metrics are fractions, and account-wide.
 */
const REPUTATION_ALARMS = [
  { id: 'BounceRate', metricName: 'Reputation.BounceRate', threshold: 0.05, shown: '5%' },
  { id: 'ComplaintRate', metricName: 'Reputation.ComplaintRate', threshold: 0.001, shown: '0.1%' },
] as const;

/** What SES reports per message: what went wrong with one recipient or one mail, never what went right. */
const FEEDBACK_EVENTS = [
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.RENDERING_FAILURE,
];

/**
 * Bounces and complaints, where an operator sees them. Each bounce, complaint, reject and rendering failure of a
 * mail sent with our configuration set is published to a topic of its own (subscribe to read them; a bounce is
 * routine, so they do not go to the alarm topic), and the account's reputation rates alarm to the alarm topic.
 * No function reads the events: the configuration set's suppression list already keeps SES from sending to a
 * bounced or complaining address again, and a send to a suppressed address is accepted and dropped by SES.
 */
export class MailFeedback extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    // SES can publish to an encrypted topic only when the key's policy lets it; an AWS managed key's cannot.
    const key = new Key(this, 'Key', {
      description: 'esign-recall mail feedback topic encryption',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
      pendingWindow: Duration.days(7),
    });
    key.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'esign-recall mail bounces and complaints',
      masterKey: key,
      enforceSSL: true,
    });
    // Also lets SES publish (topic policy, limited to this account and this configuration set).
    new ConfigurationSetEventDestination(this, 'Destination', {
      configurationSet: props.configurationSet,
      destination: EventDestination.snsTopic(this.topic),
      events: FEEDBACK_EVENTS,
    });

    const action = new SnsAction(props.alarmTopic);
    this.alarms = REPUTATION_ALARMS.map(({ id: alarmId, metricName, threshold, shown }) => {
      const alarm = new Alarm(this, alarmId, {
        metric: new Metric({
          namespace: 'AWS/SES',
          metricName,
          statistic: 'Maximum',
          period: Duration.hours(1),
        }),
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // SES publishes the rates only once the account has sent enough mail: no data is no problem.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription:
          `The account's SES ${metricName} reached ${shown}, where SES puts an account under review. ` +
          'Read the mail feedback topic for the addresses and causes (docs/deploy-and-operate.md, "Mail").',
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
  }
}
