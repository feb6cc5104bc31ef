import { fileURLToPath } from 'node:url';
import { Duration, Validations, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_BUNDLING, FUNCTION_NODE_OPTIONS } from '../bundling/function-bundling.ts';
import { sideFileHooks, type SideFile } from '../bundling/side-files.ts';

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
  /**
   * Files bundled beside index.mjs (infra/bundling/side-files.ts) besides the S3 documents module, which every
   * function given DOCUMENTS_BUCKET ships on its own: the one setting that lets it reach the bucket is the one that
   * brings the module it reaches it with.
   */
  sideFiles?: readonly SideFile[];
  /** MB and time above the default 512 MB and 15 s, for a function that needs it, and says why (its construct). */
  memorySize?: number;
  timeout?: Duration;
}

/** The side files a function ships: those it asks for, and the S3 documents module whenever it names the bucket. */
const sideFilesOf = (props: ProjectFunctionProps): SideFile[] => [
  ...new Set<SideFile>([
    ...(props.sideFiles ?? []),
    ...(props.environment.DOCUMENTS_BUCKET !== undefined ? (['s3-documents'] as const) : []),
  ]),
];

/**
 * "A function of this project", fixed in one place (after Powertools' FunctionWithLogGroup): Node.js 22 on
 * arm64, an ESM bundle built by the locally installed esbuild (no Docker), its own log group with retention,
 * and its own role that may write only to that log group. Callers add exactly the other permissions it needs.
 */
export class ProjectFunction extends NodejsFunction {
  /** What it ships beside index.mjs, and the command hooks that bundle them there: what the infra tests check. */
  readonly sideFiles: readonly SideFile[];
  readonly commandHooks: ICommandHooks | undefined;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    const sideFiles = sideFilesOf(props);
    const commandHooks = sideFiles.length > 0 ? sideFileHooks(sideFiles) : undefined;
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
      timeout: props.timeout ?? Duration.seconds(15),
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
        ...(commandHooks ? { commandHooks } : {}),
      },
    });
    this.sideFiles = sideFiles;
    this.commandHooks = commandHooks;
    Validations.of(this).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime docs/design.md fixes for the service: a supported Lambda runtime and Node.js LTS ' +
        'line, which the bundle targets (esbuild target node22). Moving to a newer runtime is a deliberate ' +
        'change, made in this one construct and tested, not something a linter should make implicit.',
    });
  }
}
