import type { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { AlertOutboxRepository, OutboxEntry, OutboxGroup } from '@stockwall/aggregation';

export interface OutboxConsumerOptions {
  /** A connection of its own: XREADGROUP BLOCK holds it. Disconnected by stop(). */
  connection: Redis;
  prefix: string;
  group: OutboxGroup;
  /** This worker's name in the group. */
  consumer: string;
  /** Queues what the entries ask for; they are acknowledged only once it resolves. */
  handle: (entries: OutboxEntry[]) => Promise<void>;
  logger: Pick<Logger, 'warn'>;
  batch?: number;
  /** Entries a consumer held this long without acknowledging (it died) are claimed by another. */
  staleMs?: number;
}

/**
 * Reads the alert outbox (written inside the atomic apply) through one consumer group: new entries
 * as they come, and every staleMs/2 the entries a dead consumer held. Each batch is handed on and
 * then acknowledged, so a crash in between delivers it again; handlers make that harmless with
 * deterministic job ids. The alert relay and the notifications each run one, in their own group.
 */
export class OutboxConsumer {
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly options: OutboxConsumerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.options.connection.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { connection, prefix, group, consumer, logger, batch = 200, staleMs = 30_000 } = this.options;
    const outbox = new AlertOutboxRepository(connection, prefix, group);
    let grouped = false;
    let lastClaim = 0;
    while (this.running) {
      try {
        if (!grouped) {
          await outbox.ensureGroup();
          grouped = true;
        }
        if (Date.now() - lastClaim >= staleMs / 2) {
          lastClaim = Date.now();
          await this.handOn(outbox, await outbox.claimStale(consumer, staleMs, batch));
        }
        await this.handOn(outbox, await outbox.readNew(consumer, batch, 1_000));
      } catch (error) {
        if (!this.running) return;
        logger.warn(`Outbox ${group.name}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  private async handOn(outbox: AlertOutboxRepository, entries: OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.options.handle(entries);
    await outbox.acknowledge(entries.map((entry) => entry.entryId));
  }
}
