import { Controller, Get, Param, Query } from '@nestjs/common';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { RequireRole } from '../auth/auth.decorators';
import { skuParamSchema, stockListQuerySchema, StockListQueryDto } from './stock.dto';
import { StockService } from './stock.service';

@Controller('api/v1/stock')
@RequireRole('viewer')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get()
  list(@Query(new ZodValidationPipe(stockListQuerySchema)) query: StockListQueryDto) {
    return this.stock.list(query);
  }

  @Get(':sku')
  findOne(@Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string) {
    return this.stock.findBySku(sku);
  }
}
