import { Body, Controller, Get, HttpCode, Param, Patch, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RequireRole } from '../auth/auth.decorators';
import type { VerifiedToken } from '../auth/token-policy';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { skuParamSchema, updateProductSchema, UpdateProductDto } from '../writes/writes.dto';
import { ProductsService } from './products.service';

@ApiTags('products')
@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get(':sku')
  @ApiOperation({ summary: 'A product’s catalog record: name, category, description, price and cost' })
  find(@Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string) {
    return this.products.find(sku);
  }

  @Patch(':sku')
  @HttpCode(202)
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change catalog fields (a product_updated event on the stream); stock never changes' })
  update(
    @Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string,
    @Body(new ZodValidationPipe(updateProductSchema)) body: UpdateProductDto,
    @Req() request: Request & { user: VerifiedToken },
  ) {
    return this.products.update(sku, body, request.user.sub);
  }
}
