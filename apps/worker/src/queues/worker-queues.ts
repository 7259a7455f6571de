import { Inject, Injectable } from '@nestjs/common';
import type { DefaultJobOptions } from 'bullmq';
import { STOCKWALL_CONFIG, StockwallConfig } from '@stockwall/config';
import type { QueueName } from '@stockwall/contracts';
import {
  bullConnection,
  openQueue,
  QueueHome,
  startWorker,
  TypedProcessor,
  TypedQueue,
  TypedWorker,
  WorkerSettings,
} from './bull-queues';

/** Opens the worker's queues and starts their workers, each on a connection of its own under QUEUE_PREFIX. */
@Injectable()
export class WorkerQueues {
  constructor(@Inject(STOCKWALL_CONFIG) private readonly config: StockwallConfig) {}

  open<Q extends QueueName>(name: Q, defaultJobOptions?: DefaultJobOptions): TypedQueue<Q> {
    return openQueue(name, this.home(), defaultJobOptions);
  }

  start<Q extends QueueName>(name: Q, processor: TypedProcessor<Q>, settings: WorkerSettings): TypedWorker<Q> {
    return startWorker(name, this.home(), processor, settings);
  }

  private home(): QueueHome {
    return { connection: bullConnection(this.config.redis.url), prefix: this.config.queue.prefix };
  }
}
