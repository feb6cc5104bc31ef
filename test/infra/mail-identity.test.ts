import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { asList, identityStatements } from './iam-statements.ts';
import { resourceOf, resourcesOfType, synthStack, templateJson, type Synthesized } from './synth.ts';

const GIVEN_ARN = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
const created = { notifyFromAddress: 'esign@example.com', notifyFromDomain: 'example.com' };
const inZone = { ...created, notifyHostedZoneId: 'Z0123456789ABCDEFGHIJ' };
const given = { notifyFromAddress: 'esign@example.com', sesIdentityArn: GIVEN_ARN };

const mailOf = (built: Synthesized) => {
  const mail = built.stack.mailer;
  if (!mail) throw new Error('the stage sends no mail');
  return mail;
};

/** The ses: statements of a function's role (the mailer's, unless another function is named). */
const sesStatementsOf = (built: Synthesized, fnId = built.logicalId(mailOf(built).consumer.function)) => {
  const fn = resourceOf(built.template, fnId);
  const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const statements = identityStatements(
    resourcesOfType(built.template, 'AWS::IAM::Policy').filter(([, policy]) =>
      JSON.stringify(policy.Properties.Roles).includes(role),
    ),
  )
    .map(([, statement]) => statement)
    .filter((statement) => asList(statement.Action).some((action) => action.startsWith('ses:')));
  return statements;
};

/** The one ses:SendEmail statement of the mailer's role (or of the function named). */
const sendStatementOf = (built: Synthesized, fnId?: string) => {
  const statements = sesStatementsOf(built, fnId);
  expect(statements).toHaveLength(1);
  return statements[0];
};

/** An SES ARN in the stack's own region (explicit: the stack reads the edge stack's web ACL across regions). */
const sesArn = (built: Synthesized, resource: string, ref: { Ref: string }) => ({
  'Fn::Join': [
    '',
    [`arn:${built.stack.partition}:ses:${built.stack.region}:`, { Ref: 'AWS::AccountId' }, `:${resource}/`, ref],
  ],
});

const configurationSetArn = (built: Synthesized) =>
  sesArn(built, 'configuration-set', { Ref: built.logicalId(mailOf(built).configurationSet) });

/** IAM merges and orders a statement's resources as it likes: compare them as a set. */
const sortedResources = (statement: { Resource: unknown } | undefined) =>
  asList(statement?.Resource)
    .map((resource) => JSON.stringify(resource))
    .sort();

const outputs = (built: Synthesized) => templateJson(built.template).Outputs ?? {};
const dkimOutputs = (built: Synthesized) =>
  Object.entries(outputs(built)).filter(([name]) => name.includes('DkimRecord'));

describe('SES identity created by the stack (-c notifyFromDomain)', () => {
  it('verifies the domain with 2048-bit Easy DKIM, our configuration set as its default', () => {
    const built = synthStack(created);
    const identity = mailOf(built).identity.emailIdentity;
    expect(identity).toBeDefined();
    const properties = resourceOf(built.template, built.logicalId(identity!)).Properties;
    expect(properties).toMatchObject({
      EmailIdentity: 'example.com',
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: built.logicalId(mailOf(built).configurationSet) } },
    });
    // No custom MAIL FROM without a zone: its MX and SPF records would have to exist first.
    expect(properties.MailFromAttributes).toBeUndefined();
    expect(resourcesOfType(built.template, 'AWS::SES::EmailIdentity')).toHaveLength(1);
  });

  it('is kept by prod when the stack is deleted (a new identity would need new DKIM records), and deleted with dev', () => {
    for (const [stage, policy] of [
      ['prod', 'Retain'],
      ['dev', 'Delete'],
    ] as const) {
      const built = synthStack({ ...created, stage });
      expect(resourceOf(built.template, built.logicalId(mailOf(built).identity.emailIdentity!)).DeletionPolicy).toBe(
        policy,
      );
    }
  });

  it('without a hosted zone, outputs the three DKIM CNAME records to add, and writes no DNS record', () => {
    const built = synthStack(created);
    const id = built.logicalId(mailOf(built).identity.emailIdentity!);
    expect(dkimOutputs(built).map(([name]) => name)).toEqual(['DkimRecord1', 'DkimRecord2', 'DkimRecord3']);
    expect(dkimOutputs(built).map(([, output]) => output.Value)).toEqual(
      [1, 2, 3].map((n) => ({
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [id, `DkimDNSTokenName${n}`] }, ' CNAME ', { 'Fn::GetAtt': [id, `DkimDNSTokenValue${n}`] }],
        ],
      })),
    );
    expect(resourcesOfType(built.template, 'AWS::Route53::RecordSet')).toEqual([]);
  });

  it('with -c notifyHostedZoneId, writes the DKIM CNAMEs and a MAIL FROM subdomain (MX and SPF) into that zone, and outputs none', () => {
    const built = synthStack(inZone);
    const id = built.logicalId(mailOf(built).identity.emailIdentity!);
    expect(resourceOf(built.template, id).Properties).toMatchObject({
      EmailIdentity: 'example.com',
      MailFromAttributes: { MailFromDomain: 'mail.example.com', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    const records = resourcesOfType(built.template, 'AWS::Route53::RecordSet').map(([, record]) => record.Properties);
    expect(records.every((record) => record.HostedZoneId === 'Z0123456789ABCDEFGHIJ')).toBe(true);
    expect(
      records
        .filter((record) => record.Type === 'CNAME')
        .map((record) => ({ Name: record.Name, ResourceRecords: record.ResourceRecords })),
    ).toEqual(
      [1, 2, 3].map((n) => ({
        Name: { 'Fn::GetAtt': [id, `DkimDNSTokenName${n}`] },
        ResourceRecords: [{ 'Fn::GetAtt': [id, `DkimDNSTokenValue${n}`] }],
      })),
    );
    expect(records.filter((record) => record.Type === 'MX')).toEqual([
      expect.objectContaining({ Name: 'mail.example.com.' }),
    ]);
    expect(records.filter((record) => record.Type === 'TXT')).toEqual([
      expect.objectContaining({ Name: 'mail.example.com.', ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'] }),
    ]);
    expect(dkimOutputs(built)).toEqual([]);
  });

  it('lets the mailer send with exactly the created identity and the configuration set', () => {
    const built = synthStack(created);
    const statement = sendStatementOf(built);
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'ses:SendEmail' });
    expect(sortedResources(statement)).toEqual(
      sortedResources({
        Resource: [
          sesArn(built, 'identity', { Ref: built.logicalId(mailOf(built).identity.emailIdentity!) }),
          configurationSetArn(built),
        ],
      }),
    );
  });

  it('lets the one-time code function alone of the API send as the mailer does: same rights, sender and set', () => {
    const built = synthStack(created);
    const mailer = sendStatementOf(built);
    const codeFunction = built.logicalId(built.stack.functions.for('signing-code'));
    expect(sortedResources(sendStatementOf(built, codeFunction))).toEqual(sortedResources(mailer));
    const environment = resourceOf(built.template, codeFunction).Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(environment.Variables).toMatchObject({
      NOTIFY_FROM_ADDRESS: 'esign@example.com',
      MAIL_CONFIGURATION_SET: { Ref: built.logicalId(mailOf(built).configurationSet) },
    });
    for (const [handler, fn] of built.stack.functions.byHandler) {
      if (handler !== 'signing-code') expect(sesStatementsOf(built, built.logicalId(fn)), handler).toEqual([]);
    }
  });

  it('leaves cdk-nag with nothing unfixed, a hosted zone or not', () => {
    for (const context of [created, inZone]) {
      const { app } = synthStack(context);
      const report = JSON.parse(readFileSync(join(app.synth().directory, 'validation-report.json'), 'utf8')) as {
        pluginReports: { pluginName: string; conclusion: string; violations: unknown[] }[];
      };
      const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
      expect(nag?.conclusion).toBe('success');
      expect(nag?.violations).toEqual([]);
    }
  });
});

describe('SES identity made elsewhere (-c sesIdentityArn)', () => {
  it('creates no identity and no DNS, and lets the mailer send with exactly that identity and the configuration set', () => {
    const built = synthStack(given);
    expect(resourcesOfType(built.template, 'AWS::SES::EmailIdentity')).toEqual([]);
    expect(dkimOutputs(built)).toEqual([]);
    const statement = sendStatementOf(built);
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'ses:SendEmail' });
    expect(sortedResources(statement)).toEqual(sortedResources({ Resource: [GIVEN_ARN, configurationSetArn(built)] }));
  });
});

describe('bounces and complaints', () => {
  it('publishes every bounce, complaint, reject and rendering failure of our configuration set to the feedback topic, which SES may use', () => {
    const built = synthStack(created);
    const { feedback, configurationSet } = mailOf(built);
    const topic = built.logicalId(feedback.topic);
    built.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: built.logicalId(configurationSet) },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'complaint', 'reject', 'renderingFailure'],
        SnsDestination: { TopicARN: { Ref: topic } },
      },
    });
    built.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'sns:Publish', Principal: { Service: 'ses.amazonaws.com' } }),
        ]),
      },
    });
    const key = (resourceOf(built.template, topic).Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const keyStatements = (
      resourceOf(built.template, key).Properties.KeyPolicy as { Statement: { Principal?: unknown; Action: unknown }[] }
    ).Statement;
    expect(keyStatements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'ses.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    expect(outputs(built).MailFeedbackTopicArn?.Value).toEqual({ Ref: topic });
  });

  it.each([
    { metric: 'Reputation.BounceRate', threshold: 0.05 },
    { metric: 'Reputation.ComplaintRate', threshold: 0.001 },
  ])("alarms to the alarm topic when the account's $metric reaches $threshold", ({ metric, threshold }) => {
    for (const context of [created, given]) {
      const built = synthStack(context);
      const alarmTopic = { Ref: built.logicalId(built.stack.alarmTopic.topic) };
      built.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SES',
        MetricName: metric,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic],
        OKActions: [alarmTopic],
        Dimensions: Match.absent(),
      });
    }
    const withoutMail = synthStack();
    expect(JSON.stringify(withoutMail.template.toJSON())).not.toContain(metric);
  });
});

describe('mail context', () => {
  it('refuses an identity both created and given', () => {
    expect(() => synthStack({ ...created, sesIdentityArn: GIVEN_ARN })).toThrow(
      'Invalid CDK context: give -c notifyFromDomain (an SES identity this stack creates) or -c sesIdentityArn (one made elsewhere), not both',
    );
  });

  it('refuses a from-address that is not on the created domain, naming both', () => {
    expect(() => synthStack({ notifyFromAddress: 'esign@mail.example.com', notifyFromDomain: 'example.com' })).toThrow(
      'Invalid CDK context: -c notifyFromAddress must be an address of -c notifyFromDomain (example.com), not of mail.example.com',
    );
    expect(
      synthStack({ notifyFromAddress: 'esign@Example.COM', notifyFromDomain: 'EXAMPLE.com' }).stack.mailer,
    ).toBeDefined();
  });

  it('refuses an address without an identity, an identity without an address, a zone without a domain, and a domain that is not one', () => {
    const needsBoth = /give -c notifyFromAddress with -c notifyFromDomain or -c sesIdentityArn, or none of them/;
    expect(() => synthStack({ notifyFromAddress: 'esign@example.com' })).toThrow(needsBoth);
    expect(() => synthStack({ notifyFromDomain: 'example.com' })).toThrow(needsBoth);
    expect(() => synthStack({ sesIdentityArn: GIVEN_ARN })).toThrow(needsBoth);
    expect(() => synthStack({ ...given, notifyHostedZoneId: 'Z0123456789ABCDEFGHIJ' })).toThrow(
      /-c notifyHostedZoneId needs -c notifyFromDomain/,
    );
    expect(() => synthStack({ ...created, notifyFromDomain: 'example' })).toThrow(
      /-c notifyFromDomain: must be a domain name/,
    );
    expect(() => synthStack({ ...created, notifyHostedZoneId: 'zone' })).toThrow(
      /-c notifyHostedZoneId: must be a Route 53 hosted zone id/,
    );
  });
});
