import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { defineApp } from '../../infra/define-app.ts';
import { synthStack } from './synth.ts';

interface ValidationReport {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: unknown[];
    suppressedViolations?: { ruleName: string; reason: string; acknowledgedId: string }[];
  }[];
}

describe('cdk-nag (AwsSolutions)', () => {
  it('finds nothing left unfixed or unacknowledged', () => {
    const { app } = synthStack();
    const assembly = app.synth();
    const report = JSON.parse(
      readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    const nag = report.pluginReports.find((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nag?.conclusion).toBe('success');
    expect(nag?.violations).toEqual([]);
  });

  it('accepts only acknowledgements that give a reason', () => {
    const { app } = synthStack({ stage: 'prod' });
    const report = JSON.parse(
      readFileSync(join(app.synth().directory, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;
    const acknowledged = report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
    expect(new Set(acknowledged.map((violation) => violation.ruleName))).toEqual(
      new Set([
        'AwsSolutions-L1',
        'AwsSolutions-APIG4',
        'AwsSolutions-SMG4',
        'AwsSolutions-IAM5[Resource::*]',
        // The document functions' grants on documents/* and uploads/* (keys are drawn per request or upload), and
        // the bucket's server access logs (the functions log every document call).
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Documents[0-9A-F]{8}\.Arn>\/documents\/\*\]$/),
        expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<Documents[0-9A-F]{8}\.Arn>\/uploads\/\*\]$/),
        // The signed document maker's puts and the mailer's reads name signed documents' keys alone; the maker's
        // tagging of an original kept names originals' keys alone.
        expect.stringMatching(
          /^AwsSolutions-IAM5\[Resource::<Documents[0-9A-F]{8}\.Arn>\/documents\/\*\/\*\/signed-\*\.pdf\]$/,
        ),
        expect.stringMatching(
          /^AwsSolutions-IAM5\[Resource::<Documents[0-9A-F]{8}\.Arn>\/documents\/\*\/\*\/original\.pdf\]$/,
        ),
        'AwsSolutions-S1',
        'AwsSolutions-SQS3',
        // CloudFront in front of the API: no geo restriction, no access logs, the default certificate's TLSv1.
        'AwsSolutions-CFR1',
        'AwsSolutions-CFR3',
        'AwsSolutions-CFR4',
      ]),
    );
    for (const violation of acknowledged) expect(violation.reason.length).toBeGreaterThan(40);
  });

  it('is wired into the app: a finding nobody acknowledged fails the synth', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = defineApp(app);
    new Topic(stack, 'UnencryptedTopic');
    expect(() => app.synth()).toThrow(/[Vv]alidation/);
  });
});

describe('stage context', () => {
  it('defaults to dev', () => {
    expect(synthStack().stack.stackName).toBe('EsignRecall-dev');
  });

  it('refuses a stage it does not know, rather than deploying dev under another name', () => {
    expect(() => synthStack({ stage: 'prd' })).toThrow(/-c stage: must be one of dev, prod/);
  });

  it('refuses a throttle that is not a positive number', () => {
    expect(() => synthStack({ throttleRateLimit: 'lots' })).toThrow(/-c throttleRateLimit: must be a number/);
    expect(() => synthStack({ throttleBurstLimit: '0' })).toThrow(/-c throttleBurstLimit: must be positive/);
  });

  it("tells the mailer the account's SES send rate from -c sesMessagesPerSecond, and refuses a rate that is not positive", () => {
    const identity = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
    const { template } = synthStack({
      notifyFromAddress: 'esign@example.com',
      sesIdentityArn: identity,
      sesMessagesPerSecond: '50',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SES_MESSAGES_PER_SECOND: '50', MAILER_MAX_CONCURRENCY: '2' }) },
    });
    expect(() =>
      synthStack({ notifyFromAddress: 'x@example.com', sesIdentityArn: identity, sesMessagesPerSecond: '0' }),
    ).toThrow(/sesMessagesPerSecond: must be positive/);
  });

  it('sends mail through SES only when the stage names the identity and address', () => {
    const identity = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
    const { stack, template } = synthStack({ notifyFromAddress: 'esign@example.com', sesIdentityArn: identity });
    expect(stack.mailer).toBeDefined();
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ses:SendEmail', Effect: 'Allow', Resource: Match.arrayWith([identity]) }),
        ]),
      },
    });
    expect(synthStack().stack.mailer).toBeUndefined();
    expect(() => synthStack({ notifyFromAddress: 'esign@example.com' })).toThrow(/give -c notifyFromAddress with/);
    expect(() => synthStack({ notifyFromAddress: 'x@example.com', sesIdentityArn: 'nope' })).toThrow(
      /SES identity ARN/,
    );
  });

  it('tags every resource with the project and stage', () => {
    const { template } = synthStack({ stage: 'prod' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: [
        { Key: 'project', Value: 'esign-recall' },
        { Key: 'stage', Value: 'prod' },
      ],
    });
  });
});
