import { describe, expect, it } from 'vitest';
import { publisherDependencies } from '../../functions/wiring/publisher.ts';
import { webhookDelivererDependencies } from '../../functions/wiring/webhook-deliverer.ts';

const inLambda = {
  AWS_LAMBDA_FUNCTION_NAME: 'esign-recall-test',
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 'esign-recall-test',
  WEBHOOK_SIGNING_KEY: 'dGVzdC1zaWduaW5nLWtleS10ZXN0LXNpZ25pbmcta2V5LTMyYg',
  EVENT_BUS_NAME: 'esign-recall-bus',
};

describe('the queue settings a function in AWS cannot start without', () => {
  it('the publisher refuses to start without the undelivered-events queue, where failed events are kept', () => {
    expect(() => publisherDependencies(inLambda)).toThrow('UNDELIVERED_EVENTS_QUEUE_URL');
    expect(
      publisherDependencies({ ...inLambda, UNDELIVERED_EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/u' })
        .undelivered,
    ).toBeDefined();
  });

  it('the webhook deliverer refuses to start in Lambda without its queue, which its backoff holds messages on', async () => {
    await expect(webhookDelivererDependencies(inLambda)).rejects.toThrow('WEBHOOK_QUEUE_URL');
    const deps = await webhookDelivererDependencies({
      ...inLambda,
      WEBHOOK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/webhooks',
    });
    expect(deps.queue?.backoff?.delaySeconds(1)).toBe(60);
    // Outside Lambda (npm start, the tests) the local bus brings its own backoff.
    const { AWS_LAMBDA_FUNCTION_NAME: _, ...local } = inLambda;
    expect((await webhookDelivererDependencies(local)).queue).toBeUndefined();
  });
});
