import { Controller, Get, Param, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
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

@ApiTags('stock')
@ApiBearerAuth()
@Controller('api/v1/stock')
@RequireRole('viewer')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  @UseInterceptors(CsvInterceptor)
  @ApiOperation({
    summary: 'Live stock rows in SKU order, filtered by location, below reorder point and search',
    description:
      'One request scans at most 50,000 rows; when a sparse filter uses them up first, the page holds fewer rows ' +
      'than `limit` (perhaps none) and `nextCursor` goes on from there. Only `nextCursor: null` means the end.',
  })
  list(@Query(new ZodValidationPipe(stockListQuerySchema)) query: StockListQueryDto) {
    return this.stock.list(query);
  }

  @Get(':sku')
  findOne(@Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string) {
    return this.stock.findBySku(sku);
  }

  @Get(':sku/forecast')
  @ApiOperation({
    summary: 'A SKU’s forecast per location: sell rate decayed to the watermark, days of cover, projected run-out',
    description: 'Also the reorder point in force and its source (explicit, or computed from demand and lead time).',
  })
  @ApiParam({ name: 'sku' })
  @ApiQuery({ name: 'location', required: false })
  forecast(
    @Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string,
    @Query(new ZodValidationPipe(stockForecastQuerySchema)) query: StockForecastQueryDto,
  ) {
    return this.stock.forecastBySku(sku, query.location);
  }
}
