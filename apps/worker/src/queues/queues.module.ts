import { Module } from '@nestjs/common';
import { WorkerQueues } from './worker-queues';

/** The queues' and workers' connections, under QUEUE_PREFIX. */
@Module({ providers: [WorkerQueues], exports: [WorkerQueues] })
export class QueuesModule {}
