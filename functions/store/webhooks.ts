import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { webhookKey } from './keys.ts';

/** Where an app wants its events POSTed. Holds no secret: the webhook secret is derived (webhooks/secret.ts). */
export interface WebhookRegistration {
  appId: string;
  url: string;
  createdAt: string;
  updatedAt: string;
}

/** (secondary adapter) Each app's one webhook: one item in a partition of its own (keys.ts `webhookKey`). */
export class WebhookStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Registers or replaces the app's URL. Replacing is the point of the command (an app has exactly one URL),
   * so this is an update, not a conditional create; `createdAt` keeps the first registration's time.
   */
  async register(appId: string, url: string, at: string): Promise<WebhookRegistration> {
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: webhookKey(appId),
        UpdateExpression:
          'SET #appId = :appId, #url = :url, #updatedAt = :at, #createdAt = if_not_exists(#createdAt, :at)',
        ExpressionAttributeNames: {
          '#appId': 'appId',
          '#url': 'url',
          '#updatedAt': 'updatedAt',
          '#createdAt': 'createdAt',
        },
        ExpressionAttributeValues: { ':appId': appId, ':url': url, ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return registrationOf(Attributes);
  }

  /** The app's webhook, or undefined when it has registered none. */
  async get(appId: string): Promise<WebhookRegistration | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: webhookKey(appId) }));
    return Item ? registrationOf(Item) : undefined;
  }
}

const registrationOf = (item: Record<string, unknown> | undefined): WebhookRegistration => {
  const { appId, url, createdAt, updatedAt } = item ?? {};
  if (typeof appId !== 'string' || typeof url !== 'string' || typeof createdAt !== 'string')
    throw new Error('malformed webhook item');
  return { appId, url, createdAt, updatedAt: typeof updatedAt === 'string' ? updatedAt : createdAt };
};
