import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per container, for every function, whatever else it needs. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'esign-recall' });
