import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { ApiRange } from './api-range.decorator';
import { CsvInterceptor } from './csv.interceptor';
import {
  historySkuParamSchema,
  kpiHistoryQuerySchema,
  KpiHistoryQueryDto,
  productHistoryQuerySchema,
  ProductHistoryQueryDto,
} from './history.dto';
import { HistoryService } from './history.service';

@ApiTags('history')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1')
@RequireRole('viewer')
@UseInterceptors(CsvInterceptor)
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('kpis/history')
  @ApiOperation({
    summary:
      'Orders, revenue, units, AOV, COGS, margin, COGS to revenue, inventory turnover, stockout rate and new/returning customers per interval',
    description:
      'Buckets follow the `tz` calendar (a London day across a DST change is 23 or 25 hours); every bucket of the page is ' +
      'present (zeros included). Stock figures follow `location` only. Page with `cursor` = `nextCursor`.',
  })
  @ApiQuery({ name: 'interval', required: false, enum: ['1m', '1h', '1d', '1w', '1mo'], description: 'default 1h' })
  @ApiQuery({ name: 'source', required: false })
  @ApiQuery({ name: 'location', required: false })
  @ApiQuery({ name: 'tz', required: false, description: 'IANA time zone, default UTC' })
  @ApiQuery({ name: 'limit', required: false, description: 'intervals per page, 1-10000 (default 1500)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiRange()
  kpis(@Query(new ZodValidationPipe(kpiHistoryQuerySchema)) query: KpiHistoryQueryDto) {
    return this.history.kpis(query);
  }

  @Get('products/:sku/history')
  @ApiOperation({
    summary: 'A SKU’s stock over time: each event that moved it with the stock after it, and the snapshots',
  })
  @ApiParam({ name: 'sku' })
  @ApiQuery({ name: 'limit', required: false, description: 'events per page, 1-5000 (default 500)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiRange()
  product(
    @Param('sku', new ZodValidationPipe(historySkuParamSchema)) sku: string,
    @Query(new ZodValidationPipe(productHistoryQuerySchema)) query: ProductHistoryQueryDto,
  ) {
    return this.history.product(sku, query);
  }
}
