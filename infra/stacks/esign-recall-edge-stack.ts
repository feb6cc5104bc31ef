import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { EdgeWebAcl } from '../constructs/edge-web-acl.ts';
import type { StageConfig } from '../stage-config.ts';

/** CloudFront takes a web ACL of scope CLOUDFRONT only, and AWS creates those only in us-east-1. */
const EDGE_REGION = 'us-east-1';

export interface EsignRecallEdgeStackProps extends StackProps {
  config: StageConfig;
}

/**
 * What must live in us-east-1 whatever region the service runs in: the web ACL CloudFront applies, and its log
 * group. The service's stack (EsignRecall-<stage>) reads the web ACL's ARN through a cross-region reference, so
 * `cdk deploy` deploys this stack first. Nothing here is looked up: it synthesizes offline.
 */
export class EsignRecallEdgeStack extends Stack {
  readonly web: EdgeWebAcl;

  constructor(scope: Construct, id: string, props: EsignRecallEdgeStackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: EDGE_REGION }, crossRegionReferences: true });
    const { config } = props;
    this.web = new EdgeWebAcl(this, 'Web', {
      stage: config.stage,
      limits: config.edge,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
  }
}
