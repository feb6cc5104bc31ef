import { fileURLToPath } from 'node:url';
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_BUNDLING, FUNCTION_NODE_OPTIONS } from '../bundling/function-bundling.ts';

export const SERVICE_NAME = 'esign-recall';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * FUNCTION_BUNDLING (esbuild's terms, shared with the benchmark) in NodejsFunction's terms. Every field is mapped
 * by name, and the type makes a field added there without a mapping here fail to compile, so CDK can never
 * quietly bundle differently from what bench/ measures.
 */
const cdkBundling = (options: typeof FUNCTION_BUNDLING): BundlingOptions => {
  const mapped: Record<keyof typeof FUNCTION_BUNDLING, Partial<BundlingOptions>> = {
    platform: {}, // NodejsFunction always bundles for node.
    format: { format: options.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS },
    target: { target: options.target },
    mainFields: { mainFields: [...options.mainFields] },
    banner: { banner: options.banner.js },
    minify: { minify: options.minify },
    sourcemap: { sourceMap: options.sourcemap },
    sourcesContent: { sourcesContent: options.sourcesContent },
    alias: { esbuildArgs: { '--alias': Object.entries(options.alias).map(([from, to]) => `${from}=${to}`) } },
  };
  return Object.assign({}, ...Object.values(mapped)) as BundlingOptions;
};

export interface ProjectFunctionProps {
  /** File under functions/handlers/ (without `.ts`) whose `handler` export this function runs. */
  handlerFile: string;
  description: string;
  environment: Record<string, string>;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  /** Commands run around bundling: a second bundle beside index.mjs (infra/bundling/pdf-reader-worker.ts). */
  commandHooks?: ICommandHooks;
  /** MB; 512 when unset. A function that builds PDFs gets more, for the CPU that comes with it. */
  memorySize?: number;
}

/**
 * "A function of this project", fixed in one place (after Powertools' FunctionWithLogGroup): Node.js 22 on
 * arm64, an ESM bundle built by the locally installed esbuild (no Docker), its own log group with retention,
 * and its own role that may write only to that log group. Callers add exactly the other permissions it needs.
 */
export class ProjectFunction extends NodejsFunction {
  /** The command hooks its bundling runs: what the infra tests check a function ships beside index.mjs. */
  readonly commandHooks: ICommandHooks | undefined;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    // Created before the function so the role can name it: with an explicit log group the function needs no
    // CreateLogGroup and no `*`, which AWSLambdaBasicExecutionRole would grant.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.description}`,
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );

    super(scope, id, {
      description: props.description,
      entry: `${PROJECT_ROOT}functions/handlers/${props.handlerFile}.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      // More memory buys more CPU: a faster cold start for the bundled SDK, at a negligible cost per request.
      memorySize: props.memorySize ?? 512,
      // Under API Gateway's 30 s integration limit, and above one store call's worst case (about 8 s, never more
      // than 11.1 s: STORE_CALL_LIMITS, functions/runtime/aws-call-limits.ts), so a store outage ends as the
      // service's own 503 envelope rather than as a Lambda timeout that API Gateway turns into a bare 503.
      timeout: Duration.seconds(15),
      logGroup,
      role,
      environment: {
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        ...cdkBundling(FUNCTION_BUNDLING),
        // Nothing external (function-bundling.ts says why); CDK would otherwise leave out @aws-sdk/*.
        bundleAwsSDK: true,
        forceDockerBundling: false,
        ...(props.commandHooks ? { commandHooks: props.commandHooks } : {}),
      },
    });
    this.commandHooks = props.commandHooks;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime docs/design.md fixes for the service: a supported Lambda runtime and Node.js LTS ' +
        'line, which the bundle targets (esbuild target node22). Moving to a newer runtime is a deliberate ' +
        'change, made in this one construct and tested, not something a linter should make implicit.',
    });
  }
}
