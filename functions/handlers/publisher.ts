import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readEnvironment } from '../runtime/environment.ts';
import { lambdaHandler } from '../wiring/lambda-handler.ts';
import { publisherDependencies } from '../wiring/publisher.ts';
import { publishStreamRecords, type PublishDependencies } from '../workflows/publish.ts';

/**
 * (primary adapter) DynamoDB stream -> the publish workflow. A failed record is reported with its sequence
 * number, from which Lambda resumes the stream (the rest of the batch is retried after it, in order).
 */
export const createPublisher =
  (deps: PublishDependencies) =>
  async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { resumeFrom } = await publishStreamRecords(deps, event.Records);
    return { batchItemFailures: resumeFrom === undefined ? [] : [{ itemIdentifier: resumeFrom }] };
  };

export const handler = await lambdaHandler(() => createPublisher(publisherDependencies(readEnvironment())));
