import { Controller, Get, Query, UseInterceptors } from '@nestjs/common';
import { RequireRole } from '../auth/auth.decorators';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { CsvInterceptor } from '../history/csv.interceptor';
import { forecastListQuerySchema, ForecastListQueryDto } from './forecasts.dto';
import { ForecastsService } from './forecasts.service';

@Controller('api/v1/forecasts')
@RequireRole('viewer')
@UseInterceptors(CsvInterceptor)
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsService) {}

  @Get()
  list(@Query(new ZodValidationPipe(forecastListQuerySchema)) query: ForecastListQueryDto) {
    return this.forecasts.list(query);
  }
}
