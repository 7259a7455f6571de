import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, UseInterceptors } from '@nestjs/common';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import {
  leadTimeBodySchema,
  LeadTimeBodyDto,
  leadTimeListQuerySchema,
  LeadTimeListQueryDto,
  supplierIdParamSchema,
} from './suppliers.dto';
import { SuppliersService } from './suppliers.service';

/**
 * Supplier lead times, read by the batch apply when a restock names its supplier: they feed the
 * computed reorder points. Reference data, not events: written to Redis directly.
 */
@Controller('api/v1/suppliers')
export class SuppliersController {
  constructor(private readonly suppliers: SuppliersService) {}

  @Get('lead-times')
  @RequireRole('viewer')
  @UseInterceptors(CsvInterceptor)
  list(@Query(new ZodValidationPipe(leadTimeListQuerySchema)) query: LeadTimeListQueryDto) {
    return this.suppliers.list(query);
  }

  @Put(':supplierId/lead-time')
  @RequireRole('admin')
  setLeadTime(
    @Param('supplierId', new ZodValidationPipe(supplierIdParamSchema)) supplierId: string,
    @Body(new ZodValidationPipe(leadTimeBodySchema)) body: LeadTimeBodyDto,
  ) {
    return this.suppliers.set(supplierId, body.days);
  }

  @Delete(':supplierId/lead-time')
  @HttpCode(204)
  @RequireRole('admin')
  async removeLeadTime(
    @Param('supplierId', new ZodValidationPipe(supplierIdParamSchema)) supplierId: string,
  ): Promise<void> {
    await this.suppliers.remove(supplierId);
  }
}
