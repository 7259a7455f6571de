import { DynamicModule, Module } from '@nestjs/common';
import { SupplierLeadTimeRepository } from '@stockwall/aggregation';
import type { Infrastructure } from '@stockwall/platform';
import { SuppliersController } from './suppliers.controller';
import { SuppliersService } from './suppliers.service';

/** GET /api/v1/suppliers/lead-times (viewer), PUT|DELETE /api/v1/suppliers/:supplierId/lead-time (admin). */
@Module({})
export class SuppliersModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: SuppliersModule,
      controllers: [SuppliersController],
      providers: [
        {
          provide: SupplierLeadTimeRepository,
          useFactory: () => new SupplierLeadTimeRepository(infrastructure.redis, infrastructure.config.redis.prefix),
        },
        SuppliersService,
      ],
    };
  }
}
