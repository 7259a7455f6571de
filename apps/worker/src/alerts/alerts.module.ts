import { Module } from '@nestjs/common';
import { AlertWriter } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { OutboxModule } from '../outbox/outbox.module';
import { AlertRelayService } from './alert-relay.service';

/** Alerts from the outbox to BullMQ and on into MySQL. */
@Module({
  imports: [OutboxModule],
  providers: [
    {
      provide: AlertWriter,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new AlertWriter(dataSource),
    },
    AlertRelayService,
  ],
})
export class AlertsModule {}
