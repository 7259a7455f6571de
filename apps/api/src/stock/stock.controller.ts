import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { RequireRole } from '../auth/auth.decorators';
import {
  skuParamSchema,
  stockForecastQuerySchema,
  StockForecastQueryDto,
  stockListQuerySchema,
  StockListQueryDto,
} from './stock.dto';
import { StockService } from './stock.service';

@Controller('api/v1/stock')
@RequireRole('viewer')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  @UseInterceptors(CsvInterceptor)
  list(@Query(new ZodValidationPipe(stockListQuerySchema)) query: StockListQueryDto) {
    return this.stock.list(query);
  }

  @Get(':sku')
  findOne(@Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string) {
    return this.stock.findBySku(sku);
  }

  @Get(':sku/forecast')
  forecast(
    @Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string,
    @Query(new ZodValidationPipe(stockForecastQuerySchema)) query: StockForecastQueryDto,
  ) {
    return this.stock.forecastBySku(sku, query.location);
  }
}
