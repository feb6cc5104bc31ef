import { Logger } from '@aws-lambda-powertools/logger';
import type { Environment } from './runtime/environment.ts';

/** One structured JSON logger per function, named by POWERTOOLS_SERVICE_NAME (esign-recall by default). */
export const createLogger = (env: Environment): Logger =>
  new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'esign-recall' });
