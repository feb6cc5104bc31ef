import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { eventsOfChange, type DomainEvent } from '../core/events.ts';
import { fromItem, isSignRequestItem } from '../store/sign-request-items.ts';

type StreamImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;

// The stream's attribute values are the DynamoDB wire format, which the SDK's own type describes exactly.
const requestOf = (image: StreamImage | undefined) => {
  if (!image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return isSignRequestItem(item) ? fromItem(item) : undefined;
};

/** The domain events one stream record carries: none for items other than sign requests (tokens, counters, keys). */
export const eventsOfStreamRecord = (record: DynamoDBRecord): DomainEvent[] =>
  eventsOfChange(requestOf(record.dynamodb?.OldImage), requestOf(record.dynamodb?.NewImage));
