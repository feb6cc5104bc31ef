import { Fn, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_ENV, ORIGIN_VERIFY_HEADER } from '../../functions/http/origin-verify-names.ts';
import type { ProjectFunction } from './project-function.ts';

export interface PublicEdgeProps {
  api: IHttpApi;
  /** The web ACL (scope CLOUDFRONT, in us-east-1) the distribution applies to every request. */
  webAclArn: string;
  /** Every function API Gateway invokes: each refuses a request that did not come through the distribution. */
  apiFunctions: readonly ProjectFunction[];
  removalPolicy: RemovalPolicy;
}

/**
 * The service's public address: a CloudFront distribution in front of the HTTP API, which cannot carry a web ACL
 * itself, so that AWS WAF limits each client address before API Gateway sees a request. Nothing is cached (every
 * answer is per caller); every method, header but Host (API Gateway routes on its own host name), query string
 * and body is forwarded. CloudFront adds a secret header that every API function checks, so the execute-api URL,
 * which still answers, serves nothing to a caller who skips WAF.
 */
export class PublicEdge extends Construct {
  readonly distribution: Distribution;
  /** The value CloudFront sends in `x-origin-verify`: generated here, never leaves AWS, never logged. */
  readonly originVerify: Secret;

  constructor(scope: Construct, id: string, props: PublicEdgeProps) {
    super(scope, id);
    this.originVerify = new Secret(this, 'OriginVerify', {
      description: `The ${ORIGIN_VERIFY_HEADER} header CloudFront adds and the API functions expect`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.originVerify).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'No automatic rotation: CloudFormation resolves the value into the distribution and the functions at ' +
        'deploy time, so a rotation outside a deploy would make every request a 403 until the next one. It only ' +
        'has to be unguessable from the internet (it never leaves AWS); rotate it by hand (put a new value, then ' +
        'deploy) as docs/deploy-and-operate.md says.',
    });
    // A CloudFormation dynamic reference: resolved at deploy time, in no template or synth output. Each function
    // reads it from its environment at start, which costs no Secrets Manager call on a cold start.
    const expected = this.originVerify.secretValue.unsafeUnwrap();

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'esign-recall: AWS WAF in front of the HTTP API',
      webAclId: props.webAclArn,
      defaultBehavior: {
        // The HTTP API's own host name (https://<id>.execute-api.<region>.amazonaws.com -> the host).
        origin: new HttpOrigin(Fn.select(1, Fn.split('://', props.api.apiEndpoint)), {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          // CloudFront overwrites a viewer's header of the same name, so no caller can supply it.
          customHeaders: { [ORIGIN_VERIFY_HEADER]: expected },
        }),
        allowedMethods: AllowedMethods.ALLOW_ALL,
        // A client of an API expects an error on plain HTTP, not a redirect that turns its POST into a GET.
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        cachePolicy: CachePolicy.CACHING_DISABLED,
        // Authorization, Content-Type, Idempotency-Key, If-Match, Accept, User-Agent, X-Forwarded-For (CloudFront
        // appends the viewer's address) and the rest, with query strings; Host would make API Gateway answer 403.
        originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      },
    });
    for (const fn of props.apiFunctions) fn.addEnvironment(ORIGIN_VERIFY_ENV, expected);

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR1',
      reason:
        'No geo restriction: signers are wherever the apps’ customers are, and the service cannot know in ' +
        'advance which countries those are; abuse is bounded per address by the web ACL instead.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR3',
      reason:
        'No CloudFront access logs: every request CloudFront forwards is in API Gateway’s access log (route ' +
        'template, status, latency, never a path) and every request WAF refuses is in the web ACL’s log; S3 ' +
        'access logs would add a bucket that holds signing paths (tokens) in clear.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions::AwsSolutions-CFR4',
      reason:
        'The distribution uses CloudFront’s default *.cloudfront.net certificate, with which CloudFront fixes ' +
        'the minimum viewer protocol at TLSv1 (a minimum protocol version can only be set with a custom ' +
        'certificate). Give the stage a custom domain and ACM certificate to require TLSv1.2_2021.',
    });
  }

  /** The public base URL, ending with `/` (as API Gateway's stage URL did). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}
