import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from './csv.interceptor';
import {
  historySkuParamSchema,
  kpiHistoryQuerySchema,
  KpiHistoryQueryDto,
  productHistoryQuerySchema,
  ProductHistoryQueryDto,
} from './history.dto';
import { HistoryService } from './history.service';

@Controller('api/v1')
@RequireRole('viewer')
@UseInterceptors(CsvInterceptor)
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  @Get('kpis/history')
  kpis(@Query(new ZodValidationPipe(kpiHistoryQuerySchema)) query: KpiHistoryQueryDto) {
    return this.history.kpis(query);
  }

  @Get('products/:sku/history')
  product(
    @Param('sku', new ZodValidationPipe(historySkuParamSchema)) sku: string,
    @Query(new ZodValidationPipe(productHistoryQuerySchema)) query: ProductHistoryQueryDto,
  ) {
    return this.history.product(sku, query);
  }
}
