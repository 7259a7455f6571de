import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { WritesModule } from '../writes/writes.module';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** The stored alerts (MySQL); acknowledging one is a write, an event on the stream like the others. */
@Module({
  imports: [HistoryModule, WritesModule],
  controllers: [AlertsController],
  providers: [AlertsService],
})
export class AlertsModule {}
