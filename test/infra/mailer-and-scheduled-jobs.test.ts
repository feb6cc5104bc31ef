import { describe, expect, it } from 'vitest';
import { logicalIdAt } from '../../infra/stacks/moved-constructs.ts';
import { resourceOf, synthStack, templateJson, type Synthesized } from './synth.ts';

/** A stage that creates its SES identity in a hosted zone: every mail resource a stage can hold is there. */
const inZone = {
  notifyFromAddress: 'esign@example.com',
  notifyFromDomain: 'example.com',
  notifyHostedZoneId: 'Z0123456789ABCDEFGHIJ',
};

const mailerOf = (built: Synthesized) => {
  const mailer = built.stack.mailer;
  if (!mailer) throw new Error('the stage sends no mail');
  return mailer;
};

/** Resource types whose replacement loses something: messages, a verified identity and its DNS, subscribers. */
const STATEFUL_TYPES = [
  'AWS::SQS::Queue',
  'AWS::SES::EmailIdentity',
  'AWS::SES::ConfigurationSet',
  'AWS::SNS::Topic',
  'AWS::KMS::Key',
  'AWS::Route53::RecordSet',
];

/** What makes up a function and its wiring: replaced by a deploy at no loss. */
const FUNCTION_PART_TYPES = [
  'AWS::Lambda::Function',
  'AWS::Logs::LogGroup',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Events::Rule',
  'AWS::Lambda::Permission',
  'AWS::Lambda::EventSourceMapping',
];

describe('the mailer and the scheduled jobs, named by what they do', () => {
  const built = synthStack(inZone);
  const mailer = mailerOf(built);

  it.each([
    ['mailer', 'MailerConsumerFunction', 'Mailer', () => mailer.consumer.function],
    ['scheduled-jobs', 'ScheduledJobsFunction', 'ScheduledJobs', () => built.stack.scheduledJobs.function],
  ] as const)('the %s function, its log group and its alarms carry its name', (handler, idPrefix, alarmName, fnOf) => {
    const fn = fnOf();
    expect(built.logicalId(fn)).toMatch(new RegExp(`^${idPrefix}[0-9A-F]{8}$`));
    expect(built.logicalId(fn.logGroup)).toMatch(new RegExp(`^${idPrefix}LogGroup[0-9A-F]{8}$`));
    expect(resourceOf(built.template, built.logicalId(fn)).Properties.Description).toMatch(
      new RegExp(`^esign-recall ${handler.replace('-', ' ')}`),
    );
    for (const metric of ['Errors', 'Throttles']) {
      const alarms = Object.entries(templateJson(built.template).Resources).filter(
        ([id, resource]) =>
          resource.Type === 'AWS::CloudWatch::Alarm' &&
          resource.Properties.MetricName === metric &&
          JSON.stringify(resource.Properties.Dimensions) ===
            JSON.stringify([{ Name: 'FunctionName', Value: { Ref: built.logicalId(fn) } }]) &&
          id.startsWith(`ServiceAlarms${alarmName}${metric}`),
      );
      expect(alarms, `${handler} ${metric}`).toHaveLength(1);
      expect(alarms[0]?.[1].Properties.AlarmDescription).toContain(`The ${handler} function`);
    }
  });

  it('leaves no function, log group, role, rule or event source named after the signer notifier or expiry', () => {
    const functionParts = Object.entries(templateJson(built.template).Resources).filter(([, resource]) =>
      FUNCTION_PART_TYPES.includes(resource.Type),
    );
    expect(functionParts.filter(([id]) => /^(Mailer|ScheduledJobs)/.test(id)).length).toBeGreaterThanOrEqual(12);
    for (const [id] of functionParts) expect(id).not.toMatch(/SignerNotif|Notifier|Expiry/);
    expect(built.logicalId(mailer.consumer.deadLetterAlarm)).toMatch(/^MailerConsumerDeadLetterAlarm/);
  });
});

describe('upgrading a stage made before the rename', () => {
  const built = synthStack(inZone);
  const mailer = mailerOf(built);

  it('computes logical ids as CDK does', () => {
    const { webhooks } = built.stack;
    expect(logicalIdAt('Webhooks/Deliverer/Queue/Resource')).toBe(built.logicalId(webhooks.consumer.queue));
    expect(logicalIdAt('Webhooks/Deliverer/Function/Resource')).toBe(built.logicalId(webhooks.consumer.function));
  });

  // The ids a stage deployed as SignerNotifications/{Notifier,...} holds: a resource whose id changed is replaced.
  it.each([
    ['mail queue', () => mailer.consumer.queue, 'SignerNotificationsNotifierQueue544B2A94'],
    ['dead-letter queue', () => mailer.consumer.deadLetterQueue, 'SignerNotificationsNotifierDeadLetterQueue836CCB17'],
    ['SES identity', () => mailer.identity.emailIdentity!, 'SignerNotificationsIdentity3C3D2D66'],
    ['configuration set', () => mailer.configurationSet, 'SignerNotificationsConfigurationSetF18DCE3E'],
    ['feedback topic', () => mailer.feedback.topic, 'SignerNotificationsFeedbackTopic1514391F'],
  ] as const)('keeps the %s where it was, so a deploy updates it in place', (_, constructOf, deployedId) => {
    expect(built.logicalId(constructOf())).toBe(deployedId);
  });

  it('keeps every stateful mail resource under its old id, and wires the new function to the kept queue', () => {
    const stateful = Object.entries(templateJson(built.template).Resources).filter(([, resource]) =>
      STATEFUL_TYPES.includes(resource.Type),
    );
    // The identity's DKIM and MAIL FROM records, the feedback key: all that the zone stage has, none renamed.
    expect(stateful.filter(([id]) => id.startsWith('SignerNotifications')).length).toBeGreaterThanOrEqual(10);
    for (const [id] of stateful) expect(id).not.toMatch(/^Mailer/);

    const queue = built.logicalId(mailer.consumer.queue);
    expect(resourceOf(built.template, queue).Properties.RedrivePolicy).toMatchObject({
      deadLetterTargetArn: { 'Fn::GetAtt': [built.logicalId(mailer.consumer.deadLetterQueue), 'Arn'] },
    });
    built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
      FunctionName: { Ref: built.logicalId(mailer.consumer.function) },
    });
  });
});
