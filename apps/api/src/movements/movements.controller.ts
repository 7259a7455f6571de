import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { MovementsReader, toCsv } from '@stockwall/persistence';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { wantsCsv } from '../history/csv.interceptor';
import { movementsQuerySchema, MovementsQueryDto } from './movements.dto';

export const MOVEMENTS_READER = Symbol('MOVEMENTS_READER');

/** The audit trail of stock: every movement with who made it and why. */
@ApiTags('history')
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1/movements')
export class MovementsController {
  constructor(@Inject(MOVEMENTS_READER) private readonly movements: MovementsReader) {}

  @Get()
  @ApiOperation({
    summary: 'Stock movements, newest first, with actor and reason (CSV with Accept: text/csv or format=csv)',
  })
  @ApiQuery({ name: 'sku', required: false })
  @ApiQuery({ name: 'location', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601 with a zone' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601 with a zone, exclusive' })
  @ApiQuery({ name: 'user', required: false, description: 'the actor: an e-mail or a token subject' })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000 (default 100)' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async list(
    @Query(new ZodValidationPipe(movementsQuerySchema)) query: MovementsQueryDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const page = await this.movements.list({ ...query, after: query.cursor });
    if (query.format !== 'csv' && (query.format === 'json' || !wantsCsv(request.headers.accept))) return page;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="movements.csv"');
    if (page.nextCursor) response.setHeader('X-Next-Cursor', page.nextCursor);
    return toCsv(page.movements as unknown as Record<string, unknown>[]);
  }
}
