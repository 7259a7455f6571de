import { Body, Controller, Delete, Get, HttpCode, Param, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_LEAD_TIME_DAYS } from '@stockwall/aggregation';
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
@ApiTags('suppliers')
@ApiBearerAuth()
@Controller('api/v1/suppliers')
export class SuppliersController {
  constructor(private readonly suppliers: SuppliersService) {}

  @Get('lead-times')
  @RequireRole('viewer')
  @UseInterceptors(CsvInterceptor)
  @ApiProduces('application/json', 'text/csv')
  @ApiOperation({ summary: 'Supplier lead times on record (days), by supplier id; page with cursor = nextCursor' })
  @ApiQuery({ name: 'limit', required: false, description: '1-5000 (default 1000)' })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Query(new ZodValidationPipe(leadTimeListQuerySchema)) query: LeadTimeListQueryDto) {
    return this.suppliers.list(query);
  }

  @Put(':supplierId/lead-time')
  @RequireRole('admin')
  @ApiOperation({
    summary: 'Set a supplier’s lead time (admin); SKUs use it from their next restock naming that supplier',
  })
  @ApiParam({ name: 'supplierId', description: 'as in restock_received.supplier_id' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['days'],
      properties: {
        days: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: MAX_LEAD_TIME_DAYS, example: 16.5 },
      },
    },
  })
  setLeadTime(
    @Param('supplierId', new ZodValidationPipe(supplierIdParamSchema)) supplierId: string,
    @Body(new ZodValidationPipe(leadTimeBodySchema)) body: LeadTimeBodyDto,
  ) {
    return this.suppliers.set(supplierId, body.days);
  }

  @Delete(':supplierId/lead-time')
  @HttpCode(204)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Forget a supplier’s lead time (admin); 404 when none is on record' })
  @ApiParam({ name: 'supplierId' })
  async removeLeadTime(
    @Param('supplierId', new ZodValidationPipe(supplierIdParamSchema)) supplierId: string,
  ): Promise<void> {
    await this.suppliers.remove(supplierId);
  }
}
