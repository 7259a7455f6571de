import { Module } from '@nestjs/common';
import { MovementsReader } from '@stockwall/persistence';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { MOVEMENTS_READER, MovementsController } from './movements.controller';

/** GET /api/v1/movements: the audit trail of stock in MySQL. */
@Module({
  controllers: [MovementsController],
  providers: [
    {
      provide: MOVEMENTS_READER,
      inject: [INFRASTRUCTURE],
      useFactory: ({ dataSource }: Infrastructure) => new MovementsReader(dataSource),
    },
  ],
})
export class MovementsModule {}
