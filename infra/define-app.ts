import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EsignRecallEdgeStack } from './stacks/esign-recall-edge-stack.ts';
import { EsignRecallStack } from './stacks/esign-recall-stack.ts';
import { stageConfigFrom } from './stage-config.ts';

/**
 * Everything `cdk synth` builds, on a given App (the service's stack, returned, and the us-east-1 edge stack it
 * depends on, as its `edgeStack`): the tests call this too, so they check the very stack, tags and
 * cdk-nag rules that deploy, with only bundling switched off.
 */
export const defineApp = (app: App): EsignRecallStack => {
  const config = stageConfigFrom(app.node);
  // CloudFront's web ACL must be made in us-east-1; the service's stack reads its ARN across regions.
  const edgeStack = new EsignRecallEdgeStack(app, `EsignRecallEdge-${config.stage}`, {
    config,
    description: `esign-recall (${config.stage}): the AWS WAF web ACL in front of the API (us-east-1)`,
  });
  const stack = new EsignRecallStack(app, `EsignRecall-${config.stage}`, {
    config,
    edgeStack,
    description: `esign-recall (${config.stage}): e-signature requests with race-safe recall`,
  });
  Tags.of(app).add('project', 'esign-recall');
  Tags.of(app).add('stage', config.stage);
  // cdk-nag 3 runs as a CDK policy-validation plugin: any finding not fixed, or acknowledged with a reason next
  // to its resource (`Validations.of(construct).acknowledge`), fails the synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
};
