import { Module } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module';
import { OutboxModule } from '../outbox/outbox.module';
import { QueuesModule } from '../queues/queues.module';
import { NotificationsService } from './notifications.service';

/** Alerts from the outbox to the configured webhooks, e-mail and chat channels. */
@Module({
  imports: [OutboxModule, QueuesModule, OperationsModule],
  providers: [NotificationsService],
})
export class NotificationsModule {}
