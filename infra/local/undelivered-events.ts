import type { DomainEvent } from '../../functions/core/events.ts';
import type { EventSink } from '../../functions/events/sink.ts';
import type { UndeliveredEvents } from '../../functions/events/undelivered.ts';

/**
 * The local undelivered-events queue: the events the publisher could not publish, kept in this process's
 * memory (npm start's; they go with it), and replayed as the AWS command replays its queue.
 */
export class LocalUndeliveredEvents implements UndeliveredEvents {
  readonly events: DomainEvent[] = [];

  keep(events: readonly DomainEvent[]): Promise<void> {
    this.events.push(...events);
    return Promise.resolve();
  }

  /**
   * Publishes each kept event once (copies kept by several failed tries of one record are one event: the same
   * eventId), and forgets them once the sink took them; if it refuses, they stay for the next replay.
   */
  async replay(sink: EventSink): Promise<{ replayed: number; duplicates: number }> {
    const taken = this.events.splice(0);
    const unique = [...new Map(taken.map((event) => [event.eventId, event])).values()];
    try {
      await sink.publish(unique);
    } catch (error) {
      this.events.unshift(...taken);
      throw error;
    }
    return { replayed: unique.length, duplicates: taken.length - unique.length };
  }
}
