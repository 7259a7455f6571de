import { Body, Controller, Delete, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { RequireRole } from '../auth/auth.decorators';
import type { VerifiedToken } from '../auth/token-policy';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import {
  adjustmentSchema,
  AdjustmentDto,
  createProductSchema,
  CreateProductDto,
  locationQuerySchema,
  LocationQueryDto,
  reorderPointSchema,
  ReorderPointDto,
  skuParamSchema,
} from './writes.dto';
import { WritesService } from './writes.service';

type AuthenticatedRequest = Request & { user: VerifiedToken };

/** Each write puts one event on the stream and answers 202 with its id; the effect shows up live. */
@Controller('api/v1')
export class WritesController {
  constructor(private readonly writes: WritesService) {}

  @Post('adjustments')
  @HttpCode(202)
  @RequireRole('warehouse')
  adjust(@Body(new ZodValidationPipe(adjustmentSchema)) body: AdjustmentDto, @Req() request: AuthenticatedRequest) {
    return this.writes.adjust(body, request.user.sub);
  }

  @Post('products')
  @HttpCode(202)
  @RequireRole('admin')
  createProduct(
    @Body(new ZodValidationPipe(createProductSchema)) body: CreateProductDto,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.writes.createProduct(body, request.user.sub);
  }

  @Delete('products/:sku')
  @HttpCode(202)
  @RequireRole('admin')
  removeProduct(
    @Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string,
    @Query(new ZodValidationPipe(locationQuerySchema)) query: LocationQueryDto,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.writes.removeProduct(sku, query, request.user.sub);
  }

  @Put('products/:sku/reorder-point')
  @HttpCode(202)
  @RequireRole('admin')
  setReorderPoint(
    @Param('sku', new ZodValidationPipe(skuParamSchema)) sku: string,
    @Body(new ZodValidationPipe(reorderPointSchema)) body: ReorderPointDto,
    @Req() request: AuthenticatedRequest,
  ) {
    return this.writes.setReorderPoint(sku, body, request.user.sub);
  }
}
