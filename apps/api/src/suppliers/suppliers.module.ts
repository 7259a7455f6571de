import { Module } from '@nestjs/common';
import { SupplierLeadTimeRepository } from '@stockwall/aggregation';
import { INFRASTRUCTURE, Infrastructure } from '@stockwall/platform';
import { SuppliersController } from './suppliers.controller';
import { SuppliersService } from './suppliers.service';

/** GET /api/v1/suppliers/lead-times (viewer), PUT|DELETE /api/v1/suppliers/:supplierId/lead-time (admin). */
@Module({
  controllers: [SuppliersController],
  providers: [
    {
      provide: SupplierLeadTimeRepository,
      inject: [INFRASTRUCTURE],
      useFactory: ({ redis, config }: Infrastructure) => new SupplierLeadTimeRepository(redis, config.redis.prefix),
    },
    SuppliersService,
  ],
})
export class SuppliersModule {}
