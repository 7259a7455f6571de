import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { forecastListQuerySchema, ForecastListQueryDto } from './forecasts.dto';
import { ForecastsService } from './forecasts.service';

@ApiTags('forecasts')
@ApiBearerAuth()
@ApiProduces('application/json', 'text/csv')
@Controller('api/v1/forecasts')
@RequireRole('viewer')
@UseInterceptors(CsvInterceptor)
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsService) {}

  @Get()
  @ApiOperation({
    summary: 'Active SKUs by soonest projected run-out (SKUs without sales last), from the live state',
    description:
      'Sell rate per hour decayed to the watermark, days of cover, projected run-out, the reorder point in force ' +
      'and its source (explicit or computed from demand and the supplier lead time). Page with `cursor` = ' +
      '`nextCursor`: later pages are computed at the first page’s `asOf`.',
  })
  @ApiQuery({ name: 'location', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1-1000 (default 100)' })
  @ApiQuery({ name: 'cursor', required: false })
  list(@Query(new ZodValidationPipe(forecastListQuerySchema)) query: ForecastListQueryDto) {
    return this.forecasts.list(query);
  }
}
