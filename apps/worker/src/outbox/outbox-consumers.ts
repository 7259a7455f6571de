import type Redis from 'ioredis';
import { OutboxConsumer, OutboxConsumerOptions } from './outbox-consumer';

/** Makes this worker's consumers of the alert outbox, each on a Redis connection of its own. */
export class OutboxConsumers {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** This worker's name in every group. */
    private readonly workerId: string,
  ) {}

  create(options: Omit<OutboxConsumerOptions, 'connection' | 'prefix' | 'consumer'>): OutboxConsumer {
    // XREADGROUP BLOCK holds its connection; errors surface in the consumer's loop.
    const connection = this.redis.duplicate();
    connection.on('error', () => undefined);
    return new OutboxConsumer({ ...options, connection, prefix: this.prefix, consumer: this.workerId });
  }
}
